#!/usr/bin/env python3
"""End to end: `make install` and outside hosts built against the installed files only.

Installs the build (cmake --install, as `make install` does) with DESTDIR=TMP/stage and
PREFIX=/usr/local, then checks:
- the layout: bin/fulcrum; lib/libfulcrum.so -> libfulcrum.so.0 -> libfulcrum.so.0.1.0 with
  SONAME libfulcrum.so.0; include/fulcrum/ holding every public header of the source tree;
  lib/cmake/Fulcrum/FulcrumConfig{,Version}.cmake; lib/pkgconfig/fulcrum.pc; the standard
  library in share/fulcrum/stdlib; no installed text file naming the build or source tree (the
  package is relocatable, which is what makes DESTDIR installs usable);
- the installed binary runs the LLR example without LD_LIBRARY_PATH and prints what the build's
  binary prints;
- the installed standard library is the one found: a module added to the installed copy only
  (share/fulcrum/stdlib/install_marker.fulcrum) is importable from the installed binary and from
  a host using the installed library, with the source tree's stdlib still in place;
- examples/embed built as an outside CMake project with find_package(Fulcrum) and
  CMAKE_PREFIX_PATH, and host.c built by a plain compiler line from `pkg-config --cflags --libs
  fulcrum` (PKG_CONFIG_PATH), each run with LD_LIBRARY_PATH on the installed lib/ and resolving
  libfulcrum.so.0 there, print byte for byte what `fulcrum run --format csv` prints.
A sanitizer build's hosts are compiled with the build's compiler and sanitizer flags."""
import filecmp
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e_support import Failures, MAVEN_DATA, LLR_FRAMEWORK  # noqa: E402

FULCRUM = os.path.abspath(sys.argv[1])
BUILD = os.path.dirname(os.path.dirname(FULCRUM))
SOURCE = os.getcwd()
PREFIX = "/usr/local"
VERSION = "0.1.0"
fail = Failures()


def cache_value(name):
    with open(os.path.join(BUILD, "CMakeCache.txt")) as f:
        for line in f:
            if line.startswith(name + ":"):
                return line.split("=", 1)[1].strip()
    return ""


SANITIZE = cache_value("FULCRUM_SANITIZE")
# A sanitized libfulcrum needs the sanitizers' C++ runtime even in a C host (clang's flag), and
# that runtime needs libstdc++, which a C link leaves out: it goes last on the line.
SANITIZE_FLAGS = (f"-fsanitize={SANITIZE.replace(';', ',')} -fno-omit-frame-pointer "
                  "-fsanitize-link-c++-runtime") if SANITIZE else ""
SANITIZE_LIBS = "-lstdc++" if SANITIZE else ""
CC = cache_value("CMAKE_C_COMPILER") or "cc"
CXX = cache_value("CMAKE_CXX_COMPILER") or "c++"


def run(args, what, env=None, cwd=None):
    """Runs a command; a failure to start or a non-zero exit is recorded. Returns stdout or None."""
    proc = subprocess.run(args, capture_output=True, text=True, env={**os.environ, **(env or {})},
                          cwd=cwd)
    if proc.returncode != 0:
        fail(f"{what}: exit {proc.returncode}: {' '.join(args)}\n{proc.stdout[-800:]}{proc.stderr[-1500:]}")
        return None
    return proc.stdout


def expected_run(framework, name, period, params=()):
    args = [FULCRUM, "run", framework, "--framework", name, "--period", period, "--format", "csv"]
    for p in params:
        args += ["--param", p]
    return run(args, f"fulcrum run {framework}")


def same(got, want, what):
    if got is None or want is None:
        return
    if not want.strip():
        fail(f"{what}: the reference output is empty")
    elif got != want:
        fail(f"{what}: differs from `fulcrum run`:\n--- got\n{got[:600]}\n--- want\n{want[:600]}")


def check_layout(root):
    lib = os.path.join(root, "lib")
    for path in ["bin/fulcrum", f"lib/libfulcrum.so.{VERSION}", "lib/cmake/Fulcrum/FulcrumConfig.cmake",
                 "lib/cmake/Fulcrum/FulcrumConfigVersion.cmake", "lib/pkgconfig/fulcrum.pc"]:
        if not os.path.isfile(os.path.join(root, path)):
            fail(f"not installed: {path}")
    for link, target in [("libfulcrum.so", "libfulcrum.so.0"), ("libfulcrum.so.0", f"libfulcrum.so.{VERSION}")]:
        path = os.path.join(lib, link)
        if not os.path.islink(path) or os.readlink(path) != target:
            fail(f"lib/{link} should be a link to {target}")
    if os.path.isfile(os.path.join(BUILD, "lib/libfulcrum.a")) and not os.path.isfile(os.path.join(lib, "libfulcrum.a")):
        fail("the build made lib/libfulcrum.a; it is not installed")
    dynamic = run(["readelf", "-d", os.path.join(lib, f"libfulcrum.so.{VERSION}")], "readelf") or ""
    if not re.search(r"\(SONAME\)\s+Library soname: \[libfulcrum\.so\.0\]", dynamic):
        fail("libfulcrum's SONAME is not libfulcrum.so.0")
    headers = sorted(f for f in os.listdir(os.path.join(SOURCE, "include/fulcrum")) if f.endswith((".h", ".hpp")))
    for header in headers:
        installed = os.path.join(root, "include/fulcrum", header)
        if not os.path.isfile(installed) or not filecmp.cmp(installed, os.path.join(SOURCE, "include/fulcrum", header), shallow=False):
            fail(f"header not installed as it is in the source tree: include/fulcrum/{header}")
    if "fulcrum.h" not in headers:
        fail("include/fulcrum/fulcrum.h is missing from the source tree")
    modules = sorted(f for f in os.listdir(os.path.join(SOURCE, "stdlib")) if f.endswith(".fulcrum"))
    stdlib = os.path.join(root, "share/fulcrum/stdlib")
    installed = sorted(os.listdir(stdlib)) if os.path.isdir(stdlib) else []
    if not modules or installed != modules:
        fail(f"share/fulcrum/stdlib holds {installed}, the source tree's stdlib {modules}")
    for folder, _, files in os.walk(root):
        for name in files:
            path = os.path.join(folder, name)
            if name.endswith((".cmake", ".pc")):
                text = open(path).read()
                for tree in (BUILD, SOURCE):
                    if tree in text:
                        fail(f"{os.path.relpath(path, root)} names {tree}: the package is not relocatable")


def check_installed_binary(root, want_llr):
    got = run([os.path.join(root, "bin/fulcrum"), "run", os.path.abspath(LLR_FRAMEWORK), "--framework", "llr",
               "--period", "2017-Q3", "--format", "csv"], "the installed fulcrum", cwd=root)
    same(got, want_llr, "the installed fulcrum binary")


def marker_framework(tmp):
    """llr.fulcrum importing a module that only the installed stdlib holds, with ratings.csv."""
    folder = os.path.join(tmp, "marked")
    os.makedirs(folder)
    text = open(LLR_FRAMEWORK).read()
    with open(os.path.join(folder, "llr.fulcrum"), "w") as f:
        f.write('import "stdlib/install_marker"\n\n' + text)
    shutil.copy(os.path.join(os.path.dirname(LLR_FRAMEWORK), "ratings.csv"), folder)
    return os.path.join(folder, "llr.fulcrum")


def check_installed_stdlib(root, marked):
    with open(os.path.join(root, "share/fulcrum/stdlib/install_marker.fulcrum"), "w") as f:
        f.write("// Only in the installed standard library (install_test.py).\n"
                "fn install_marker(x: number): number = x\n")
    env = {"FULCRUM_STDLIB": ""}
    run([os.path.join(root, "bin/fulcrum"), "check", marked], "the installed fulcrum importing the installed stdlib", env=env)
    proc = subprocess.run([FULCRUM, "check", marked], capture_output=True, text=True, env={**os.environ, **env})
    if proc.returncode == 0:
        fail("the build's fulcrum found stdlib/install_marker: the marker proves nothing")


def host_env(root):
    env = {"LD_LIBRARY_PATH": os.path.join(root, "lib"), "FULCRUM_STDLIB": ""}
    return env


def check_resolves_installed(binary, root, what):
    out = run(["ldd", binary], f"ldd {what}", env=host_env(root)) or ""
    match = re.search(r"libfulcrum\.so\.0 => (\S+)", out)
    if not match or os.path.realpath(match.group(1)) != os.path.realpath(os.path.join(root, f"lib/libfulcrum.so.{VERSION}")):
        fail(f"{what} does not load the installed libfulcrum: {out.strip()[:400]}")


def check_cmake_host(root, tmp, want_llr, want_pipeline, marked):
    build = os.path.join(tmp, "cmake-host")
    configure = ["cmake", "-S", os.path.join(SOURCE, "examples/embed"), "-B", build, "-G", "Ninja",
                 f"-DCMAKE_PREFIX_PATH={root}", f"-DCMAKE_C_COMPILER={CC}", f"-DCMAKE_CXX_COMPILER={CXX}",
                 "-DCMAKE_BUILD_TYPE=Release"]
    if SANITIZE_FLAGS:
        configure += [f"-DCMAKE_C_FLAGS={SANITIZE_FLAGS}", f"-DCMAKE_CXX_FLAGS={SANITIZE_FLAGS}",
                      f"-DCMAKE_EXE_LINKER_FLAGS={SANITIZE_FLAGS} {SANITIZE_LIBS}"]
    if run(configure, "configuring examples/embed with find_package(Fulcrum)") is None:
        return
    if run(["cmake", "--build", build], "building examples/embed against the installation") is None:
        return
    host_c, host_cpp = os.path.join(build, "fulcrum_embed_host_c"), os.path.join(build, "fulcrum_embed_host_cpp")
    check_resolves_installed(host_c, root, "the CMake-built C host")
    got = run([host_c, LLR_FRAMEWORK, MAVEN_DATA, "2017-Q3"], "the CMake-built C host", env=host_env(root))
    same(got, want_llr, "the CMake-built C host (find_package)")
    got = run([host_c, marked, MAVEN_DATA, "2017-Q3"], "the CMake-built C host, installed stdlib", env=host_env(root))
    same(got, want_llr, "the CMake-built C host over llr importing stdlib/install_marker")
    got = run([host_cpp, "examples/embed/pipeline.fulcrum"], "the CMake-built C++ host", env=host_env(root))
    same(got, want_pipeline, "the CMake-built C++ host (find_package)")


def check_pkg_config_host(root, tmp, want_llr):
    env = {"PKG_CONFIG_PATH": os.path.join(root, "lib/pkgconfig")}
    version = run(["pkg-config", "--modversion", "fulcrum"], "pkg-config --modversion", env=env)
    if version is not None and version.strip() != VERSION:
        fail(f"pkg-config says version {version.strip()}, not {VERSION}")
    flags = run(["pkg-config", "--cflags", "--libs", "fulcrum"], "pkg-config --cflags --libs fulcrum", env=env)
    if flags is None:
        return
    host = os.path.join(tmp, "pkg-config-host")
    args = [CC, "-std=c99", "-Wall", "-Wextra", "-Werror", os.path.join(SOURCE, "examples/embed/host.c"), "-o", host]
    args += SANITIZE_FLAGS.split() + flags.split() + SANITIZE_LIBS.split()
    if run(args, "cc host.c $(pkg-config --cflags --libs fulcrum)") is None:
        return
    check_resolves_installed(host, root, "the pkg-config-built C host")
    got = run([host, LLR_FRAMEWORK, MAVEN_DATA, "2017-Q3"], "the pkg-config-built C host", env=host_env(root))
    same(got, want_llr, "the pkg-config-built C host")


def main():
    tmp = tempfile.mkdtemp(prefix="fulcrum-install-")
    try:
        stage = os.path.join(tmp, "stage")
        if run(["cmake", "--install", BUILD, "--prefix", PREFIX], "cmake --install (make install)",
               env={"DESTDIR": stage}) is None:
            fail.finish("")
        root = stage + PREFIX
        want_llr = expected_run(LLR_FRAMEWORK, "llr", "2017-Q3")
        want_pipeline = ((expected_run("examples/embed/pipeline.fulcrum", "pipeline", "2024-Q2") or "") +
                         (expected_run("examples/embed/pipeline.fulcrum", "pipeline", "2024-Q2", ["quota=40000"]) or ""))
        marked = marker_framework(tmp)
        check_layout(root)
        check_installed_binary(root, want_llr)
        check_installed_stdlib(root, marked)
        check_cmake_host(root, tmp, want_llr, want_pipeline, marked)
        check_pkg_config_host(root, tmp, want_llr)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    fail.finish(f"installed under DESTDIR{PREFIX}: layout, binary, stdlib, find_package and pkg-config hosts agree with `fulcrum run`")


main()
