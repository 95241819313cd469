# fulcrum_target(NAME): the warnings and include paths every project-owned target shares.
function(fulcrum_target name)
  target_compile_options(${name} PRIVATE ${FULCRUM_WARNINGS})
  target_include_directories(${name} PUBLIC ${CMAKE_SOURCE_DIR})
endfunction()
