// libcrypto's one-shot SHA-256 and HMAC, used by the SigV4 signer. Only declarations: no C code.
#include <openssl/sha.h>
#include <openssl/hmac.h>
#include <openssl/evp.h>
