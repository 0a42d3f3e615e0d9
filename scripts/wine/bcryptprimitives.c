/* For wine 8 (Debian 12), which lacks bcryptprimitives.dll: Rust's std on Windows (≥ 1.78) imports
   ProcessPrng from it, which every Windows 10 and later has. scripts/setup-cross.sh builds this stand-in
   into the wine prefix's system32 only, so cem.exe and cem-core's tests start under wine; nothing shipped
   contains it. ProcessPrng fills the buffer from the system's generator and always succeeds. */
#include <windows.h>
#include <ntsecapi.h>

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len) {
  while (len > 0) {
    ULONG chunk = len > 0x10000000 ? 0x10000000 : (ULONG)len;
    if (!RtlGenRandom(data, chunk)) return FALSE;
    data += chunk;
    len -= chunk;
  }
  return TRUE;
}
