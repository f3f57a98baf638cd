#pragma once

#include <QObject>

#include "core/store/SecretStore.h"

namespace vigil::app {

/// Lets the worker thread use the OS key store. QtKeychain answers only on the thread that
/// runs the Qt event loop, so every call is carried to the GUI thread and waited for there;
/// the Argon2id work around it stays on the worker. Calls made on the GUI thread go straight
/// through. The GUI thread must never wait for the worker while the worker waits here
/// (StoreWorker::shutdown keeps serving events for that reason).
class GuiThreadSecretStore final : public SecretStore {
public:
    /// `inner` must live on (and be used only from) `guiThreadObject`'s thread.
    GuiThreadSecretStore(SecretStore& inner, QObject* guiThreadObject);

    [[nodiscard]] Result<std::optional<SecureBytes>> read(const std::string& name) override;
    [[nodiscard]] Status write(const std::string& name, std::span<const unsigned char> secret) override;
    [[nodiscard]] Status remove(const std::string& name) override;

private:
    template <typename F>
    auto onGuiThread(F f) -> decltype(f());

    SecretStore& m_inner;
    QObject* m_gui;
};

}  // namespace vigil::app
