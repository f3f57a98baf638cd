#include "sync/common/TlsIdentity.h"

#include <cstdio>
#include <memory>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

namespace vigil::sync {

namespace {

struct FileCloser {
    void operator()(std::FILE* f) const noexcept { std::fclose(f); }
};
using FilePtr = std::unique_ptr<std::FILE, FileCloser>;
struct PkeyFree {
    void operator()(EVP_PKEY* k) const noexcept { EVP_PKEY_free(k); }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyFree>;
struct X509Free {
    void operator()(X509* x) const noexcept { X509_free(x); }
};
using X509Ptr = std::unique_ptr<X509, X509Free>;

Error tlsError(const std::string& what)
{
    return makeError(ErrorCode::Io, what + " (" + openSslErrorText() + ").");
}

// Open for writing with the given mode, refusing to replace an existing file.
Result<FilePtr> createExclusive(const std::filesystem::path& path, mode_t mode)
{
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
    if (fd < 0) {
        if (errno == EEXIST)
            return makeError(ErrorCode::AlreadyExists,
                             path.string() + " already exists; it was left untouched. Move it away or choose "
                                             "another folder.");
        return makeError(ErrorCode::Io, "Cannot create " + path.string() + ": check the folder exists and is writable.");
    }
    ::fchmod(fd, mode);  // umask may have removed bits we asked for; never adds any
    std::FILE* f = ::fdopen(fd, "w");
    if (!f) {
        ::close(fd);
        return makeError(ErrorCode::Io, "Cannot write " + path.string() + ".");
    }
    return FilePtr(f);
}

Result<X509Ptr> readCertificate(const std::filesystem::path& certFile)
{
    FilePtr f(std::fopen(certFile.c_str(), "r"));
    if (!f)
        return makeError(ErrorCode::NotFound, "Cannot read the certificate " + certFile.string() + ": check the path.");
    X509Ptr cert(PEM_read_X509(f.get(), nullptr, nullptr, nullptr));
    if (!cert)
        return tlsError(certFile.string() + " is not a PEM certificate");
    return cert;
}

Status addExtension(X509* cert, int nid, const std::string& value)
{
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, cert, cert, nullptr, nullptr, 0);
    X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str());
    if (!ext)
        return tlsError("Cannot build the certificate extension " + value);
    const int ok = X509_add_ext(cert, ext, -1);
    X509_EXTENSION_free(ext);
    if (ok != 1)
        return tlsError("Cannot add the certificate extension " + value);
    return {};
}

}  // namespace

std::string openSslErrorText()
{
    std::string text;
    unsigned long e = 0;
    while ((e = ERR_get_error()) != 0) {
        char buf[256];
        ERR_error_string_n(e, buf, sizeof buf);
        if (!text.empty())
            text += "; ";
        text += buf;
    }
    return text.empty() ? "no detail from OpenSSL" : text;
}

Status generateSelfSignedCertificate(const std::filesystem::path& certFile, const std::filesystem::path& keyFile,
                                     const CertificateNames& names, int days)
{
    PkeyPtr key(EVP_EC_gen("P-256"));
    if (!key)
        return tlsError("Cannot generate a P-256 key");
    X509Ptr cert(X509_new());
    if (!cert)
        return tlsError("Cannot create a certificate");
    X509_set_version(cert.get(), 2);  // v3
    unsigned char serial[16];
    if (RAND_bytes(serial, sizeof serial) != 1)
        return tlsError("Cannot draw a random serial number");
    serial[0] &= 0x7F;  // positive
    BIGNUM* bn = BN_bin2bn(serial, sizeof serial, nullptr);
    ASN1_INTEGER* sn = bn ? BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(cert.get())) : nullptr;
    BN_free(bn);
    if (!sn)
        return tlsError("Cannot set the certificate serial number");
    X509_gmtime_adj(X509_getm_notBefore(cert.get()), -60 * 60);
    X509_time_adj_ex(X509_getm_notAfter(cert.get()), days, 0, nullptr);
    X509_set_pubkey(cert.get(), key.get());
    X509_NAME* name = X509_get_subject_name(cert.get());
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("vigil-server"), -1,
                               -1, 0);
    X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("Vigil"), -1, -1, 0);
    X509_set_issuer_name(cert.get(), name);

    std::string san;
    for (const auto& ip : names.ips)
        san += (san.empty() ? "" : ",") + std::string("IP:") + ip;
    for (const auto& dns : names.dns)
        san += (san.empty() ? "" : ",") + std::string("DNS:") + dns;
    if (!san.empty())
        VIGIL_TRY(addExtension(cert.get(), NID_subject_alt_name, san));
    VIGIL_TRY(addExtension(cert.get(), NID_basic_constraints, "critical,CA:FALSE"));
    VIGIL_TRY(addExtension(cert.get(), NID_key_usage, "critical,digitalSignature"));
    VIGIL_TRY(addExtension(cert.get(), NID_ext_key_usage, "serverAuth"));
    if (X509_sign(cert.get(), key.get(), EVP_sha256()) == 0)
        return tlsError("Cannot sign the certificate");

    {
        auto kf = createExclusive(keyFile, 0600);
        if (!kf)
            return std::move(kf).error();
        if (PEM_write_PrivateKey(kf->get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1)
            return tlsError("Cannot write the TLS key " + keyFile.string());
    }
    auto cf = createExclusive(certFile, 0644);
    if (!cf)
        return std::move(cf).error();
    if (PEM_write_X509(cf->get(), cert.get()) != 1)
        return tlsError("Cannot write the certificate " + certFile.string());
    return {};
}

Result<SpkiPin> spkiPinOf(X509* certificate)
{
    if (!certificate)
        return makeError(ErrorCode::InvalidArgument, "No certificate was presented.");
    X509_PUBKEY* pub = X509_get_X509_PUBKEY(certificate);
    unsigned char* der = nullptr;
    const int len = pub ? i2d_X509_PUBKEY(pub, &der) : -1;
    if (len <= 0)
        return tlsError("Cannot read the certificate's public key");
    auto pin = sha256({der, static_cast<std::size_t>(len)});
    OPENSSL_free(der);
    return pin;
}

Result<SpkiPin> spkiPinOfCertificateFile(const std::filesystem::path& certFile)
{
    auto cert = readCertificate(certFile);
    if (!cert)
        return std::move(cert).error();
    return spkiPinOf(cert->get());
}

Status checkKeyMatchesCertificate(const std::filesystem::path& certFile, const std::filesystem::path& keyFile)
{
    auto cert = readCertificate(certFile);
    if (!cert)
        return std::move(cert).error();
    FilePtr f(std::fopen(keyFile.c_str(), "r"));
    if (!f)
        return makeError(ErrorCode::NotFound, "Cannot read the TLS key " + keyFile.string() + ": check the path.");
    PkeyPtr key(PEM_read_PrivateKey(f.get(), nullptr, nullptr, nullptr));
    if (!key)
        return tlsError(keyFile.string() + " is not an unencrypted PEM private key");
    if (X509_check_private_key(cert->get(), key.get()) != 1)
        return makeError(ErrorCode::InvalidArgument, "The TLS key " + keyFile.string()
                                                         + " does not belong to the certificate " + certFile.string()
                                                         + ". Give the matching pair.");
    return {};
}

}  // namespace vigil::sync
