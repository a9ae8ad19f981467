// Self-modifying code under the JIT: small functions generated into an RWX mapping are called often
// enough to be compiled (and from several call sites, so the dispatcher's caches hold them), then their
// code is rewritten in place (the immediate of a MOV, then a whole new body, then a loop's bound) and
// called again: every call must run the code as it is now. A final case remaps the page with a
// different function at the same address.
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

typedef uint64_t (*fn)(uint64_t);

static unsigned char *page;

// mov eax, imm32 ; add rax, rdi ; ret
static void emit_add(unsigned char *p, uint32_t imm)
{
    unsigned char code[] = {0xb8, 0, 0, 0, 0, 0x48, 0x01, 0xf8, 0xc3};
    memcpy(code + 1, &imm, 4);
    memcpy(p, code, sizeof code);
}

// mov rax, rdi ; imul rax, rdi ; xor rax, imm8 ; ret
static void emit_square_xor(unsigned char *p, uint8_t imm)
{
    unsigned char code[] = {0x48, 0x89, 0xf8, 0x48, 0x0f, 0xaf, 0xc7, 0x48, 0x83, 0xf0, imm, 0xc3};
    memcpy(p, code, sizeof code);
}

// xor eax, eax ; mov ecx, imm32 ; loop: add rax, rdi ; dec ecx ; jnz loop ; ret
static void emit_loop(unsigned char *p, uint32_t count)
{
    unsigned char code[] = {0x31, 0xc0, 0xb9, 0, 0, 0, 0, 0x48, 0x01, 0xf8, 0xff, 0xc9, 0x75, 0xf9, 0xc3};
    memcpy(code + 3, &count, 4);
    memcpy(p, code, sizeof code);
}

__attribute__((noinline)) static uint64_t site_a(fn f, uint64_t x) { return f(x) + 1; }
__attribute__((noinline)) static uint64_t site_b(fn f, uint64_t x) { return f(x) ^ 0x55; }

static uint64_t hot(fn f, int n)
{
    uint64_t s = 0;
    for (int i = 0; i < n; i++) s += site_a(f, (uint64_t)i) + site_b(f, (uint64_t)i * 3) + f((uint64_t)i);
    return s;
}

int main(void)
{
    page = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (page == MAP_FAILED) { perror("mmap"); return 1; }
    fn f = (fn)page;

    for (uint32_t imm = 1; imm <= 4; imm++) {
        emit_add(page, imm * 1000);
        printf("add %u: %llu\n", imm * 1000, (unsigned long long)hot(f, 5000));
    }
    for (uint8_t imm = 1; imm <= 3; imm++) {
        emit_square_xor(page, imm);
        printf("square^%u: %llu\n", imm, (unsigned long long)hot(f, 5000));
    }
    // A function whose own loop is compiled, rewritten between calls (only the bound changes).
    for (uint32_t count = 10; count <= 40; count += 10) {
        emit_loop(page, count);
        printf("loop %u: %llu\n", count, (unsigned long long)hot(f, 3000));
    }
    // The code changes while the page stays where it is, through a fresh mapping at the same address.
    munmap(page, 4096);
    unsigned char *again = mmap(page, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    if (again != page) { perror("mmap again"); return 1; }
    emit_add(page, 77);
    if (mprotect(page, 4096, PROT_READ | PROT_EXEC) != 0) { perror("mprotect"); return 1; }
    printf("remapped: %llu\n", (unsigned long long)hot(f, 5000));
    return 0;
}
