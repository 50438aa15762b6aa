# isrgen's modules: one static library per folder of src/, each listing its
# sources and the modules it may use (USES, the ones below it). The layering
# check (check_layering.cmake) fails the build when a file includes a header
# of a module it does not use, so the order stays what the listing says:
#   util <- net <- site <- template, data <- assets <- render <- state <- engine
#        <- publish <- watch <- serve <- cli

# isrgen_module(<name> [USES <module>...] [LIBS <target>...] SOURCES <file>... [TESTS <file>...])
# Adds the library isrgen_<name> from src/<name>/, linked to the modules it
# uses and to LIBS; TESTS (the *_test.cpp beside the sources) go into the one
# test binary. Every .cpp of the folder must be listed in SOURCES or TESTS.
function(isrgen_module name)
  cmake_parse_arguments(PARSE_ARGV 1 arg "" "" "USES;LIBS;SOURCES;TESTS")
  set(dir "${PROJECT_SOURCE_DIR}/src/${name}")

  file(GLOB present CONFIGURE_DEPENDS "${dir}/*.cpp")
  foreach(file IN LISTS present)
    get_filename_component(base "${file}" NAME)
    if(NOT base IN_LIST arg_SOURCES AND NOT base IN_LIST arg_TESTS)
      message(FATAL_ERROR "src/${name}/${base} is in no list of src/${name}/CMakeLists.txt: "
                          "add it to SOURCES (or TESTS for a *_test.cpp)")
    endif()
  endforeach()

  list(TRANSFORM arg_SOURCES PREPEND "${dir}/")
  add_library(isrgen_${name} STATIC ${arg_SOURCES})
  target_include_directories(isrgen_${name} PUBLIC "${PROJECT_SOURCE_DIR}/src")
  # The User-Agent of HTTP requests and `isrgen --version` say which isrgen this is.
  target_compile_definitions(isrgen_${name} PRIVATE ISRGEN_VERSION="${PROJECT_VERSION}")
  # scripts/build dist: a few large translation units per module instead of one
  # per source. Each source otherwise parses and instantiates nlohmann::json,
  # Asio and Beast anew; in batches a cold build of isrgen takes much less time
  # (README, "Install"). Off for development: an edit recompiles its whole batch.
  if(ISRGEN_UNITY_BUILD)
    set_target_properties(isrgen_${name} PROPERTIES UNITY_BUILD ON UNITY_BUILD_BATCH_SIZE ${ISRGEN_UNITY_BATCH})
    # A class of a .cpp holding a type of that file's anonymous namespace is
    # fine, but GCC warns about it once the .cpp is included into a batch.
    target_compile_options(isrgen_${name} PRIVATE $<$<CXX_COMPILER_ID:GNU>:-Wno-subobject-linkage>)
  endif()
  set(uses)
  foreach(module IN LISTS arg_USES)
    if(NOT TARGET isrgen_${module})
      message(FATAL_ERROR "src/${name} uses '${module}', which is not a module added before it")
    endif()
    list(APPEND uses isrgen_${module})
  endforeach()
  target_link_libraries(isrgen_${name} PUBLIC ${uses} ${arg_LIBS})

  # What the layering check allows: the module itself and, transitively, what it uses.
  set(allowed ${name})
  foreach(module IN LISTS arg_USES)
    get_property(below GLOBAL PROPERTY ISRGEN_ALLOWED_${module})
    list(APPEND allowed ${below})
  endforeach()
  list(REMOVE_DUPLICATES allowed)
  set_property(GLOBAL PROPERTY ISRGEN_ALLOWED_${name} ${allowed})
  set_property(GLOBAL APPEND PROPERTY ISRGEN_MODULES ${name})

  list(TRANSFORM arg_TESTS PREPEND "${dir}/")
  set_property(GLOBAL APPEND PROPERTY ISRGEN_UNIT_TESTS ${arg_TESTS})
endfunction()

# Adds the target isrgen_layering, which fails when a module's source or
# header includes a module it does not use. Tests (*_test.cpp) are exempt:
# they are linked into the one test binary with every module, and a test may
# check one module with another (a purge signature with the webhook verifier).
function(isrgen_layering_check)
  get_property(modules GLOBAL PROPERTY ISRGEN_MODULES)
  set(manifest "")
  set(inputs "")
  foreach(name IN LISTS modules)
    get_property(allowed GLOBAL PROPERTY ISRGEN_ALLOWED_${name})
    file(GLOB files CONFIGURE_DEPENDS "${PROJECT_SOURCE_DIR}/src/${name}/*.cpp" "${PROJECT_SOURCE_DIR}/src/${name}/*.h")
    list(FILTER files EXCLUDE REGEX "_test\\.cpp$")
    list(APPEND inputs ${files})
    string(REPLACE ";" "," allowed_text "${allowed}")
    string(APPEND manifest "${name} ${allowed_text}\n")
  endforeach()
  string(REPLACE ";" "," modules_text "${modules}")
  set(manifest_file "${CMAKE_BINARY_DIR}/isrgen_layering.txt")
  file(WRITE "${manifest_file}" "${manifest}")
  set(stamp "${CMAKE_BINARY_DIR}/isrgen_layering.stamp")
  add_custom_command(
    OUTPUT "${stamp}"
    COMMAND ${CMAKE_COMMAND} -DSOURCE_DIR=${PROJECT_SOURCE_DIR} -DMANIFEST=${manifest_file}
            -DMODULES=${modules_text} -P "${PROJECT_SOURCE_DIR}/cmake/check_layering.cmake"
    COMMAND ${CMAKE_COMMAND} -E touch "${stamp}"
    DEPENDS ${inputs} "${manifest_file}" "${PROJECT_SOURCE_DIR}/cmake/check_layering.cmake"
    COMMENT "Checking that each module includes only the modules below it"
    VERBATIM)
  add_custom_target(isrgen_layering ALL DEPENDS "${stamp}")
endfunction()
