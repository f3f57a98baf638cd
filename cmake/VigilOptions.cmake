# Warning and sanitizer flags as INTERFACE targets (cpp-best-practices style).
# Every Vigil target links vigil_options; nothing sets flags globally.

option(VIGIL_WARNINGS_AS_ERRORS "Treat compiler warnings as errors (CI)" OFF)
option(VIGIL_ENABLE_ASAN "Build with AddressSanitizer" OFF)
option(VIGIL_ENABLE_UBSAN "Build with UndefinedBehaviorSanitizer" OFF)
option(VIGIL_ENABLE_TSAN "Build with ThreadSanitizer (not with ASan)" OFF)
option(VIGIL_ENABLE_FUZZING "Instrument for libFuzzer (clang; the fuzz preset)" OFF)
option(VIGIL_USE_CCACHE "Use ccache when it is installed" ON)

if(VIGIL_USE_CCACHE)
  find_program(VIGIL_CCACHE ccache)
  if(VIGIL_CCACHE)
    set(CMAKE_CXX_COMPILER_LAUNCHER ${VIGIL_CCACHE})
    set(CMAKE_C_COMPILER_LAUNCHER ${VIGIL_CCACHE})
  endif()
endif()

add_library(vigil_warnings INTERFACE)
target_compile_options(vigil_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast -Wcast-align
  -Wunused -Woverloaded-virtual -Wconversion -Wsign-conversion
  -Wdouble-promotion -Wformat=2 -Wimplicit-fallthrough -Wmisleading-indentation
  # g++ only (clang builds the fuzz targets and does not know these).
  "$<$<CXX_COMPILER_ID:GNU>:-Wduplicated-cond;-Wduplicated-branches;-Wlogical-op;-Wuseless-cast>")
if(VIGIL_WARNINGS_AS_ERRORS)
  target_compile_options(vigil_warnings INTERFACE -Werror)
endif()

add_library(vigil_sanitizers INTERFACE)
set(_vigil_san "")
if(VIGIL_ENABLE_ASAN)
  list(APPEND _vigil_san address)
endif()
if(VIGIL_ENABLE_UBSAN)
  list(APPEND _vigil_san undefined)
endif()
if(VIGIL_ENABLE_TSAN)
  list(APPEND _vigil_san thread)
endif()
if(VIGIL_ENABLE_FUZZING)
  # Coverage instrumentation for libFuzzer; the fuzz executables add -fsanitize=fuzzer.
  list(APPEND _vigil_san fuzzer-no-link)
endif()
if(_vigil_san)
  list(JOIN _vigil_san "," _vigil_san_list)
  target_compile_options(vigil_sanitizers INTERFACE
    -fsanitize=${_vigil_san_list} -fno-omit-frame-pointer -fno-sanitize-recover=all)
  target_link_options(vigil_sanitizers INTERFACE -fsanitize=${_vigil_san_list})
endif()

# Hardening that costs nothing at run time.
add_library(vigil_hardening INTERFACE)
target_compile_options(vigil_hardening INTERFACE -fstack-protector-strong
  $<$<NOT:$<CONFIG:Debug>>:-D_FORTIFY_SOURCE=2>)
# Full RELRO: relocations resolved at start, then read-only (what Debian's packages use; lintian
# checks the installed programs for it).
target_link_options(vigil_hardening INTERFACE -Wl,-z,relro -Wl,-z,now)

add_library(vigil_options INTERFACE)
target_link_libraries(vigil_options INTERFACE vigil_warnings vigil_sanitizers vigil_hardening)
