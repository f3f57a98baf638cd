#pragma once

// The server's TLS identity: a P-256 key and certificate, and the SPKI SHA-256 pin devices
// check. OpenSSL 3 EVP APIs only; no network code.

#include <filesystem>
#include <string>
#include <vector>

#include "core/common/Result.h"
#include "sync/protocol/Encoding.h"

using X509 = struct x509_st;

namespace vigil::sync {

/// Names the certificate is valid for (subjectAltName): IP addresses and DNS names.
struct CertificateNames {
    std::vector<std::string> ips{"127.0.0.1"};
    std::vector<std::string> dns{"localhost"};
};

/// Create a P-256 key (written 0600, PEM PKCS#8) and a self-signed certificate (PEM) valid
/// for `days`. Refuses to overwrite existing files.
[[nodiscard]] Status generateSelfSignedCertificate(const std::filesystem::path& certFile,
                                                   const std::filesystem::path& keyFile,
                                                   const CertificateNames& names, int days = 825);

/// The pin of a PEM certificate file (the first certificate in it).
[[nodiscard]] Result<SpkiPin> spkiPinOfCertificateFile(const std::filesystem::path& certFile);
/// The pin of a certificate in memory. Nullopt-like error when the key cannot be encoded.
[[nodiscard]] Result<SpkiPin> spkiPinOf(X509* certificate);

/// Check that a PEM key file and a PEM certificate file belong together (used by
/// `vigil-admin init --cert --key` and at server start).
[[nodiscard]] Status checkKeyMatchesCertificate(const std::filesystem::path& certFile,
                                                const std::filesystem::path& keyFile);

/// OpenSSL's queued error text (and clears the queue): for messages and logs.
[[nodiscard]] std::string openSslErrorText();

}  // namespace vigil::sync
