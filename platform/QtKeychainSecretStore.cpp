#include "platform/QtKeychainSecretStore.h"

#include <QByteArray>
#include <QEventLoop>
#include <QString>
#include <QTimer>

#include <qt6keychain/keychain.h>

namespace vigil {

namespace {

Error unavailable(const QString& detail)
{
    return makeError(ErrorCode::KeyStoreUnavailable,
                     "Vigil cannot reach this device's secure key store (" + detail.toStdString()
                         + "). Vigil keeps its keys only there, so it will not start without it. "
                           "Sign in to the desktop session (which unlocks the key store) and start Vigil again; "
                           "if this repeats, contact IT support.");
}

/// Run a QtKeychain job to completion, with a timeout, and report its error code.
QKeychain::Error runJob(QKeychain::Job& job, std::chrono::milliseconds timeout, QString& errorText)
{
    job.setAutoDelete(false);
    job.setInsecureFallback(false);  // never store secrets in a plaintext file
    QEventLoop loop;
    bool timedOut = false;
    QObject::connect(&job, &QKeychain::Job::finished, &loop, &QEventLoop::quit);
    QTimer::singleShot(timeout, &loop, [&] {
        timedOut = true;
        loop.quit();
    });
    job.start();
    loop.exec();
    if (timedOut) {
        errorText = QStringLiteral("no answer within %1 seconds").arg(timeout.count() / 1000);
        return QKeychain::OtherError;
    }
    errorText = job.errorString();
    return job.error();
}

}  // namespace

QtKeychainSecretStore::QtKeychainSecretStore(std::string service, std::chrono::milliseconds timeout)
    : m_service(std::move(service)), m_timeout(timeout)
{
}

Result<std::optional<SecureBytes>> QtKeychainSecretStore::read(const std::string& name)
{
    QKeychain::ReadPasswordJob job(QString::fromStdString(m_service));
    job.setKey(QString::fromStdString(name));
    QString errorText;
    const auto err = runJob(job, m_timeout, errorText);
    if (err == QKeychain::EntryNotFound)
        return std::optional<SecureBytes>();
    if (err != QKeychain::NoError)
        return unavailable(errorText);
    QByteArray data = job.binaryData();
    SecureBytes secret(reinterpret_cast<const unsigned char*>(data.constData()), static_cast<std::size_t>(data.size()));
    data.fill('\0');  // QtKeychain's own copy is beyond our reach; wipe ours
    return std::optional<SecureBytes>(std::move(secret));
}

Status QtKeychainSecretStore::write(const std::string& name, std::span<const unsigned char> secret)
{
    QKeychain::WritePasswordJob job(QString::fromStdString(m_service));
    job.setKey(QString::fromStdString(name));
    QByteArray data(reinterpret_cast<const char*>(secret.data()), static_cast<qsizetype>(secret.size()));
    job.setBinaryData(data);
    data.fill('\0');
    QString errorText;
    if (runJob(job, m_timeout, errorText) != QKeychain::NoError)
        return unavailable(errorText);
    return {};
}

Status QtKeychainSecretStore::remove(const std::string& name)
{
    QKeychain::DeletePasswordJob job(QString::fromStdString(m_service));
    job.setKey(QString::fromStdString(name));
    QString errorText;
    const auto err = runJob(job, m_timeout, errorText);
    if (err != QKeychain::NoError && err != QKeychain::EntryNotFound)
        return unavailable(errorText);
    return {};
}

}  // namespace vigil
