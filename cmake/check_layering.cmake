cmake_minimum_required(VERSION 3.25)
# Run by the isrgen_layering target (isrgen_module.cmake): reads the manifest,
# one line per module "<name> <allowed,modules>", and fails naming every
# #include "<module>/..." in src/<name>/ (tests excepted) of a module that
# <name> does not use.
string(REPLACE "," ";" modules "${MODULES}")
file(STRINGS "${MANIFEST}" lines)
set(violations "")
foreach(line IN LISTS lines)
  string(REPLACE " " ";" parts "${line}")
  list(GET parts 0 name)
  list(GET parts 1 allowed_text)
  string(REPLACE "," ";" allowed "${allowed_text}")
  file(GLOB files "${SOURCE_DIR}/src/${name}/*.cpp" "${SOURCE_DIR}/src/${name}/*.h")
  list(FILTER files EXCLUDE REGEX "_test\\.cpp$")
  foreach(file IN LISTS files)
    file(STRINGS "${file}" includes REGEX "^#include \"[a-z_]+/")
    foreach(include IN LISTS includes)
      string(REGEX REPLACE "^#include \"([a-z_]+)/.*$" "\\1" module "${include}")
      if(module IN_LIST modules AND NOT module IN_LIST allowed)
        file(RELATIVE_PATH shown "${SOURCE_DIR}" "${file}")
        string(APPEND violations "  ${shown}: ${include} (src/${name} may use: ${allowed_text})\n")
      endif()
    endforeach()
  endforeach()
endforeach()
if(violations)
  message(FATAL_ERROR "A module includes a module above it or beside it:\n${violations}"
                      "Move the shared code down to a module both use, or add the module to USES in "
                      "src/<module>/CMakeLists.txt if the order allows it.")
endif()
