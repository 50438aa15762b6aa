# What `cmake --install` puts under the prefix, and the Debian package
# scripts/package makes of it with CPack:
#   bin/isrgen
#   share/man/man1/isrgen.1.gz      made from the binary's --help (cmake/man_page.cmake)
#   share/doc/isrgen/README.md
#   share/doc/isrgen/schemas/       the JSON Schemas of the --json reports
include(GNUInstallDirs)

set(ISRGEN_MAN_PAGE "${CMAKE_BINARY_DIR}/isrgen.1.gz")
# Under ASan the help must not fail the build on a leak report at exit: the
# sanitizer tests look for leaks where they matter.
add_custom_command(TARGET isrgen POST_BUILD
  COMMAND ${CMAKE_COMMAND} -E env ASAN_OPTIONS=detect_leaks=0
          ${CMAKE_COMMAND} -DISRGEN=$<TARGET_FILE:isrgen> -DVERSION=${PROJECT_VERSION}
          -DOUTPUT=${ISRGEN_MAN_PAGE} -P "${PROJECT_SOURCE_DIR}/cmake/man_page.cmake"
  BYPRODUCTS "${ISRGEN_MAN_PAGE}"
  COMMENT "Writing the man page from isrgen --help"
  VERBATIM)

install(TARGETS isrgen RUNTIME DESTINATION "${CMAKE_INSTALL_BINDIR}")
install(FILES "${ISRGEN_MAN_PAGE}" DESTINATION "${CMAKE_INSTALL_MANDIR}/man1")
install(FILES "${PROJECT_SOURCE_DIR}/README.md" DESTINATION "${CMAKE_INSTALL_DOCDIR}")
install(DIRECTORY "${PROJECT_SOURCE_DIR}/docs/schemas" DESTINATION "${CMAKE_INSTALL_DOCDIR}"
        FILES_MATCHING PATTERN "*.schema.json")

set(ISRGEN_PACKAGE_MAINTAINER "isrgen maintainers <maintainers@isrgen.invalid>" CACHE STRING
    "The Maintainer of the Debian package")
set(ISRGEN_HOMEPAGE "" CACHE STRING "The Homepage of the Debian package (none when empty)")

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME isrgen)
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "incremental static-site generator for multi-tenant promo pages")
set(CPACK_PACKAGE_DESCRIPTION
    "isrgen renders Markdown pages with Mustache layouts and data-driven components into HTML, "
    "records the dependency tags each page carries in a SQLite index, and on the next build renders "
    "exactly the pages a change touches. It syncs the output to S3 or a folder, purges the CDN, and "
    "serves as an ISR origin taking signed revalidation webhooks.")
string(JOIN "" CPACK_PACKAGE_DESCRIPTION ${CPACK_PACKAGE_DESCRIPTION})
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${ISRGEN_PACKAGE_MAINTAINER}")
if(ISRGEN_HOMEPAGE)
  set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "${ISRGEN_HOMEPAGE}")
endif()
set(CPACK_DEBIAN_PACKAGE_SECTION web)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)  # isrgen_<version>_<arch>.deb
# Depends: what dpkg-shlibdeps reads off the binary's shared libraries
# (libcurl4, libsqlite3-0, libcmark-gfm0.29…, libjemalloc2, libc6, …).
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# The package carries no debug information: a tenth of the size.
set(CPACK_STRIP_FILES ON)
include(CPack)
