cmake_minimum_required(VERSION 3.25)
# Run after each link of isrgen (cmake/install.cmake): writes OUTPUT
# (isrgen.1.gz), the man page, from the binary's own --help and that of each
# subcommand, so the page never says anything the binary does not.
# Usage: cmake -DISRGEN=<binary> -DVERSION=<x.y.z> -DOUTPUT=<file.1.gz> -P man_page.cmake

# The help of `isrgen <words> --help`, with the binary's path shown as "isrgen".
function(help_of words out_var)
  execute_process(COMMAND "${ISRGEN}" ${words} --help
                  OUTPUT_VARIABLE text RESULT_VARIABLE failed ERROR_VARIABLE error)
  if(failed)
    message(FATAL_ERROR "cmake/man_page.cmake: `isrgen ${words} --help` failed (${failed}): ${error}")
  endif()
  string(REPLACE "${ISRGEN}" "isrgen" text "${text}")
  set(${out_var} "${text}" PARENT_SCOPE)
endfunction()

# The subcommand names a help text lists under "Subcommands:".
function(subcommands_of text out_var)
  set(names "")
  string(FIND "${text}" "\nSubcommands:\n" at)
  if(at GREATER_EQUAL 0)
    string(SUBSTRING "${text}" ${at} -1 listing)
    string(REGEX MATCHALL "\n  [a-z][a-z-]*" entries "${listing}")
    foreach(entry IN LISTS entries)
      string(STRIP "${entry}" name)
      list(APPEND names "${name}")
    endforeach()
  endif()
  set(${out_var} "${names}" PARENT_SCOPE)
endfunction()

# Help text as roff: verbatim lines, backslashes and leading dots escaped.
function(as_roff text out_var)
  string(REPLACE "\\" "\\e" text "${text}")
  string(REPLACE "-" "\\-" text "${text}")
  string(REGEX REPLACE "(^|\n)([.'])" "\\1\\\\&\\2" text "${text}")
  set(${out_var} ".PP\n.nf\n${text}.fi\n" PARENT_SCOPE)
endfunction()

help_of("" top)
as_roff("${top}" top_roff)
set(page ".TH ISRGEN 1 \"\" \"isrgen ${VERSION}\" \"User Commands\"
.SH NAME
isrgen \\- incremental static\\-site generator for multi\\-tenant promo pages
.SH SYNOPSIS
.B isrgen
.I COMMAND
[\\fIOPTIONS\\fR]
.br
.B isrgen \\-\\-version
.SH DESCRIPTION
isrgen renders Markdown pages with Mustache layouts and data\\-driven components into HTML,
records the dependency tags each page carries in a SQLite index (.isrgen/state.db), and on the
next build renders exactly the pages a change touches. It syncs the output to a bucket or a
folder, purges the CDN, and serves as an ISR origin taking revalidation webhooks.
${top_roff}.SH COMMANDS
")
subcommands_of("${top}" commands)
foreach(command IN LISTS commands)
  help_of("${command}" help)
  as_roff("${help}" help_roff)
  string(APPEND page ".SS \"isrgen ${command}\"\n${help_roff}")
  subcommands_of("${help}" nested)
  foreach(sub IN LISTS nested)
    help_of("${command};${sub}" help)
    as_roff("${help}" help_roff)
    string(APPEND page ".SS \"isrgen ${command} ${sub}\"\n${help_roff}")
  endforeach()
endforeach()
string(APPEND page ".SH EXIT STATUS
.TP
.B 0
all done
.TP
.B 1
some pages failed (the others were built), \\-\\-verify found differences, or a sync's request failed
.TP
.B 2
usage or configuration: a bad flag, a broken content/site.toml, the site in use by another run
.TP
.B 3
the environment: a disk full or read\\-only, a state database that cannot be written
.SH SEE ALSO
The README in /usr/share/doc/isrgen/ describes every behaviour; the JSON Schemas of the \\-\\-json reports
are in /usr/share/doc/isrgen/schemas/.
")

get_filename_component(dir "${OUTPUT}" DIRECTORY)
string(REGEX REPLACE "\\.gz$" "" plain "${OUTPUT}")
file(WRITE "${plain}.tmp" "${page}")
file(RENAME "${plain}.tmp" "${plain}")
# -n: no name or time in the header, so the same page compresses to the same bytes.
execute_process(COMMAND gzip -9nf "${plain}" RESULT_VARIABLE failed)
if(failed)
  message(FATAL_ERROR "cmake/man_page.cmake: gzip failed on ${plain}")
endif()
