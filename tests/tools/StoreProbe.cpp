// A real process that unlocks a device store through the OS key store, for the platform
// tests: `vigil_store_probe <dir> <profile> setup|unlock|status <pin>`. Prints one line:
// "ok", "status <failures> <attempts-before-wipe>", or "error <code> <message>".
#include <iostream>
#include <string>

#include <QCoreApplication>

#include "core/store/SecureStore.h"
#include "platform/ProcessHardening.h"
#include "platform/QtKeychainSecretStore.h"

using namespace vigil;

int main(int argc, char** argv)
{
    vigil::hardenProcess();
    QCoreApplication app(argc, argv);
    if (argc < 4) {
        std::cerr << "usage: vigil_store_probe <dir> <profile> setup|unlock|status [pin]\n";
        return 2;
    }
    const std::string command = argv[3];
    const std::string pin = argc > 4 ? argv[4] : "";
    QtKeychainSecretStore secrets("Vigil-test");
    StoreConfig config;
    config.profile = argv[2];
    config.kdf = KdfStrength::Moderate;  // the production cost, so a kill can land inside the KDF
    SecureStore store(argv[1], secrets, config);
    Error error;
    if (command == "setup") {
        Status s = store.setUp(pin);
        if (s.ok()) {
            std::cout << "ok" << std::endl;
            return 0;
        }
        error = s.error();
    } else if (command == "unlock") {
        auto db = store.unlock(pin);
        if (db.ok()) {
            std::cout << "ok" << std::endl;
            return 0;
        }
        error = db.error();
    } else if (command == "status") {
        auto st = store.unlockStatus();
        if (st.ok()) {
            std::cout << "status " << st->failedAttempts << " " << st->attemptsBeforeWipe << std::endl;
            return 0;
        }
        error = st.error();
    } else {
        std::cerr << "unknown command " << command << "\n";
        return 2;
    }
    std::cout << "error " << errorCodeName(error.code) << " " << error.message << std::endl;
    return 1;
}
