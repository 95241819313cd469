# `make install` (cmake --install build --prefix PREFIX; DESTDIR honoured): the `fulcrum` binary,
# libfulcrum.so with its SONAME links (and libfulcrum.a when there is one), the public headers,
# the standard library, a CMake package (find_package(Fulcrum) -> Fulcrum::fulcrum) and
# fulcrum.pc. Everything installed is relocatable: the CMake package and fulcrum.pc locate the
# prefix from where they lie, and the library and binary find share/fulcrum/stdlib relative to
# themselves (compiler/driver/StdlibLocation.cpp), so a DESTDIR staging tree or a moved prefix
# works as installed. tests/e2e/install_test.py builds outside hosts against an installation.
include(CMakePackageConfigHelpers)

set(FULCRUM_INSTALL_CMAKEDIR ${CMAKE_INSTALL_LIBDIR}/cmake/Fulcrum)
# The installed binary finds the installed library, if it links it, without LD_LIBRARY_PATH.
file(RELATIVE_PATH libdir_from_bindir ${CMAKE_INSTALL_FULL_BINDIR} ${CMAKE_INSTALL_FULL_LIBDIR})
# LLVM's own folder stays on the installed RUNPATH, as on the build's.
set_target_properties(fulcrum PROPERTIES INSTALL_RPATH "$ORIGIN/${libdir_from_bindir};${LLVM_LIBRARY_DIR}")
install(TARGETS fulcrum RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})

install(DIRECTORY ${PROJECT_SOURCE_DIR}/stdlib/ DESTINATION ${FULCRUM_INSTALL_STDLIBDIR}
        FILES_MATCHING PATTERN "*.fulcrum")

file(GLOB public_headers CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/include/fulcrum/*.h
     ${PROJECT_SOURCE_DIR}/include/fulcrum/*.hpp)
install(FILES ${public_headers} DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/fulcrum)

# api/ names it libfulcrum.so.VERSION with SONAME libfulcrum.so.0 (the major version); install
# lays down the two links as well.
set_target_properties(fulcrum_shared PROPERTIES INSTALL_RPATH "${LLVM_LIBRARY_DIR}")
install(TARGETS fulcrum_shared LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR})
# libfulcrum.a (api/'s fulcrum_static, an archive of the static libraries) for hosts that link
# statically; they also link LLVM-19, antlr4-runtime, fmt, xxhash, libpq, date-tz (HowardHinnant date, the
# time zones of `in zone`: -ldate-tz) and pthreads themselves.
if(TARGET fulcrum_static)
  install(FILES ${CMAKE_ARCHIVE_OUTPUT_DIRECTORY}/libfulcrum.a DESTINATION ${CMAKE_INSTALL_LIBDIR})
endif()

configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/package/FulcrumConfig.cmake.in
                              ${PROJECT_BINARY_DIR}/package/FulcrumConfig.cmake
                              INSTALL_DESTINATION ${FULCRUM_INSTALL_CMAKEDIR}
                              PATH_VARS CMAKE_INSTALL_LIBDIR CMAKE_INSTALL_INCLUDEDIR)
# Within a major version calls are only added (fulcrum.h's versioning promise), so any newer
# 0.x library serves a host that asked for an older 0.x.
write_basic_package_version_file(${PROJECT_BINARY_DIR}/package/FulcrumConfigVersion.cmake
                                 VERSION ${PROJECT_VERSION} COMPATIBILITY SameMajorVersion)
install(FILES ${PROJECT_BINARY_DIR}/package/FulcrumConfig.cmake
              ${PROJECT_BINARY_DIR}/package/FulcrumConfigVersion.cmake
        DESTINATION ${FULCRUM_INSTALL_CMAKEDIR})

# fulcrum.pc's paths are relative to the file itself (${pcfiledir}), as the CMake package's are.
file(RELATIVE_PATH prefix_from_pcdir ${CMAKE_INSTALL_FULL_LIBDIR}/pkgconfig ${CMAKE_INSTALL_PREFIX})
string(REGEX REPLACE "/$" "" FULCRUM_PC_PREFIX "\${pcfiledir}/${prefix_from_pcdir}")
configure_file(${PROJECT_SOURCE_DIR}/cmake/package/fulcrum.pc.in
               ${PROJECT_BINARY_DIR}/package/fulcrum.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/package/fulcrum.pc
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
