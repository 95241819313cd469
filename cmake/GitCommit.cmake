# Writes OUT, a header defining FULCRUM_GIT_COMMIT as the commit SOURCE_DIR is checked out at
# ("" outside a git checkout, with "-dirty" appended when tracked files differ from it or a file
# neither tracked nor ignored exists); leaves OUT untouched when that is what it already holds,
# so nothing recompiles.
execute_process(COMMAND git rev-parse HEAD WORKING_DIRECTORY ${SOURCE_DIR}
                OUTPUT_VARIABLE commit OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET
                RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  set(commit "")
else()
  # The index's stat data first: a file only touched (same bytes) is not a change.
  execute_process(COMMAND git update-index -q --refresh WORKING_DIRECTORY ${SOURCE_DIR}
                  OUTPUT_QUIET ERROR_QUIET)
  execute_process(COMMAND git diff-index --quiet HEAD -- WORKING_DIRECTORY ${SOURCE_DIR}
                  RESULT_VARIABLE dirty ERROR_QUIET)
  # A new file not yet added (not ignored) may be a source the build compiled.
  execute_process(COMMAND git ls-files --others --exclude-standard WORKING_DIRECTORY ${SOURCE_DIR}
                  OUTPUT_VARIABLE untracked ERROR_QUIET)
  if(NOT dirty EQUAL 0 OR NOT "${untracked}" STREQUAL "")
    set(commit "${commit}-dirty")
  endif()
endif()
set(text "// Written by cmake/GitCommit.cmake at build time.\n#define FULCRUM_GIT_COMMIT \"${commit}\"\n")
if(EXISTS ${OUT})
  file(READ ${OUT} old)
endif()
if(NOT "${old}" STREQUAL "${text}")
  file(WRITE ${OUT} "${text}")
endif()
