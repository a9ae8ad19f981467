// Start-up: the smallest useful program.
#include <stdio.h>
int main(void) { puts("hello"); return 0; }
