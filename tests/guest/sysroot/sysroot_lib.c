// A shared library that exists only inside the test sysroot (see SysrootTests).
const char *sysroot_greeting(void) { return "hello from a library found only in the sysroot"; }
