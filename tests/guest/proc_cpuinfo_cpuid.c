// /proc/cpuinfo describes the CPU that CPUID reports: vendor, family/model/stepping, model name (the
// brand string) and, for each feature below, the flag is listed exactly when its CPUID bit is set.
#include <cpuid.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct { unsigned leaf; int reg; int bit; const char *name; } flags[] = {
    {1, 3, 0, "fpu"}, {1, 3, 4, "tsc"}, {1, 3, 8, "cx8"}, {1, 3, 15, "cmov"}, {1, 3, 19, "clflush"},
    {1, 3, 23, "mmx"}, {1, 3, 24, "fxsr"}, {1, 3, 25, "sse"}, {1, 3, 26, "sse2"},
    {0x80000001, 3, 11, "syscall"}, {0x80000001, 3, 20, "nx"}, {0x80000001, 3, 27, "rdtscp"}, {0x80000001, 3, 29, "lm"},
    {1, 2, 0, "pni"}, {1, 2, 1, "pclmulqdq"}, {1, 2, 9, "ssse3"}, {1, 2, 12, "fma"}, {1, 2, 13, "cx16"},
    {1, 2, 19, "sse4_1"}, {1, 2, 20, "sse4_2"}, {1, 2, 22, "movbe"}, {1, 2, 23, "popcnt"}, {1, 2, 25, "aes"},
    {1, 2, 26, "xsave"}, {1, 2, 28, "avx"}, {1, 2, 29, "f16c"},
    {0x80000001, 2, 0, "lahf_lm"}, {0x80000001, 2, 5, "abm"},
    {7, 1, 3, "bmi1"}, {7, 1, 5, "avx2"}, {7, 1, 8, "bmi2"}, {7, 1, 19, "adx"}, {7, 1, 29, "sha_ni"},
};

static char text[1 << 20];

static const char *value(const char *key) { // first "key\t...: value" of cpuinfo, as a fresh string
    static char out[4096];
    for (const char *p = text; (p = strstr(p, key)); p++) {
        if (p != text && p[-1] != '\n') continue;
        const char *colon = strchr(p, ':'), *end = strchr(p, '\n');
        if (!colon || !end || colon > end) continue;
        colon += colon[1] == ' ' ? 2 : 1;
        snprintf(out, sizeof out, "%.*s", (int)(end - colon), colon);
        return out;
    }
    return "";
}

int main(void) {
    FILE *f = fopen("/proc/cpuinfo", "r");
    size_t n = fread(text, 1, sizeof text - 1, f);
    text[n] = 0;
    fclose(f);
    int bad = 0;
    unsigned r[4];
    __cpuid(0, r[0], r[1], r[2], r[3]);
    char vendor[13];
    memcpy(vendor, &r[1], 4); memcpy(vendor + 4, &r[3], 4); memcpy(vendor + 8, &r[2], 4); vendor[12] = 0;
    printf("vendor_id is CPUID's: %d\n", strcmp(value("vendor_id"), vendor) == 0);
    __cpuid(1, r[0], r[1], r[2], r[3]);
    unsigned family = (r[0] >> 8) & 15, model = (r[0] >> 4) & 15, stepping = r[0] & 15;
    if (family == 15) family += (r[0] >> 20) & 255;
    if (family >= 6) model |= ((r[0] >> 16) & 15) << 4;
    printf("family/model/stepping are CPUID's: %d\n",
        (unsigned)atoi(value("cpu family")) == family && (unsigned)atoi(value("model\t")) == model && (unsigned)atoi(value("stepping")) == stepping);
    char brand[49] = "";
    for (unsigned k = 0; k < 3; k++) __cpuid(0x80000002 + k, *(unsigned *)(brand + 16 * k), *(unsigned *)(brand + 16 * k + 4),
        *(unsigned *)(brand + 16 * k + 8), *(unsigned *)(brand + 16 * k + 12));
    brand[48] = 0;
    char *b = brand;
    while (*b == ' ') b++;
    for (char *e = b + strlen(b); e > b && e[-1] == ' ';) *--e = 0;
    printf("model name is the brand string: %d\n", strcmp(value("model name"), b) == 0);
    char list[4096];
    snprintf(list, sizeof list, " %s ", value("flags"));
    for (size_t k = 0; k < sizeof flags / sizeof flags[0]; k++) {
        __cpuid_count(flags[k].leaf, 0, r[0], r[1], r[2], r[3]);
        int set = (r[flags[k].reg] >> flags[k].bit) & 1;
        char word[32];
        snprintf(word, sizeof word, " %s ", flags[k].name);
        int listed = strstr(list, word) != NULL;
        if (set != listed) { printf("flag %s: cpuid %d, listed %d\n", flags[k].name, set, listed); bad++; }
    }
    printf("flags agree with CPUID: %d\n", bad == 0);
    return bad != 0;
}
