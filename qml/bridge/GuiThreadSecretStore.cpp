#include "GuiThreadSecretStore.h"

#include <optional>

#include <QMetaObject>
#include <QThread>

namespace vigil::app {

GuiThreadSecretStore::GuiThreadSecretStore(SecretStore& inner, QObject* guiThreadObject)
    : m_inner(inner), m_gui(guiThreadObject)
{
}

template <typename F>
auto GuiThreadSecretStore::onGuiThread(F f) -> decltype(f())
{
    if (QThread::currentThread() == m_gui->thread())
        return f();
    std::optional<decltype(f())> result;
    QMetaObject::invokeMethod(m_gui, [&] { result.emplace(f()); }, Qt::BlockingQueuedConnection);
    if (!result) {
        return makeError(ErrorCode::KeyStoreUnavailable,
                         "Vigil could not reach the device's key store because the app is closing. Start Vigil again.");
    }
    return std::move(*result);
}

Result<std::optional<SecureBytes>> GuiThreadSecretStore::read(const std::string& name)
{
    return onGuiThread([&] { return m_inner.read(name); });
}

Status GuiThreadSecretStore::write(const std::string& name, std::span<const unsigned char> secret)
{
    return onGuiThread([&] { return m_inner.write(name, secret); });
}

Status GuiThreadSecretStore::remove(const std::string& name)
{
    return onGuiThread([&] { return m_inner.remove(name); });
}

}  // namespace vigil::app
