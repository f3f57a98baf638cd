#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "core/common/Result.h"
#include "core/store/SecureBytes.h"
#include "core/store/SecretStore.h"
#include "sync/client/SyncClient.h"
#include "sync/client/SyncTransport.h"
#include "sync/protocol/Protocol.h"

namespace vigil::sync {

/// What a device knows about its enrolment. Kept in the OS key store (with the token), so
/// the pin cannot be swapped by editing a file.
struct DeviceEnrolment {
    ServerEndpoint server;
    std::string deviceId;
    UserInfo user;
};

/// The device's standing as the server sees it (the wipe check). A revoked device is a
/// value, not an error: the caller must act on it (stop syncing; wipe when told).
struct DeviceStanding {
    /// Expired: not in contact for longer than the server allows; re-enrol with a new code
    /// (nothing on the device is lost, and it is never wiped for it).
    enum class State { Active, Revoked, Unknown, Expired } state = State::Active;
    bool rotated = false;  ///< the credential was replaced during this check (rotation was due)
    bool wipe = false;
    std::optional<DeviceStatus> status;  ///< when Active
    std::string message;                 ///< the server's words when not Active
};

/// Why a device wipes itself.
enum class WipeReason {
    Remote,  ///< an administrator ordered it (`vigil-admin device wipe`)
    User,    ///< the user chose to wipe this device
};

/// Destroys Vigil's data on this device: the app's closure stops the sync engine, closes the
/// database and calls SecureStore::wipe() (wrapped data key, device secret, database files).
/// It must work while the app is locked (SecureStore::wipe needs no PIN).
using DestroyLocalData = std::function<Status()>;

/// What a wipe check or a wipe did.
struct WipeOutcome {
    bool ordered = false;   ///< a wipe was ordered (remote) or asked for (user)
    bool wiped = false;     ///< local data and the credential are destroyed
    bool reported = false;  ///< the server recorded the wipe
    std::string message;    ///< for the user or the log, in words
};

/// The device's link to its server: enrolment, the credential in the key store, and
/// authenticated requests over the pinned connection. No Qt, no Asio in this header.
class DeviceLink final : public SyncTransport {
public:
    /// `profile` separates several devices' entries in one key store (tests, vigil-device --dir).
    DeviceLink(SyncClient& client, SecretStore& secrets, std::string profile);

    /// Trade a one-time code for a device credential. On a device already enrolled (its
    /// credential expired), the code enrols it again: the old credential goes with the request,
    /// and the server issues a new one for the same device id, so its numbering, audit chain and
    /// unsent changes go on (issue 22).
    [[nodiscard]] Result<DeviceEnrolment> enrol(std::string_view codeText, std::string deviceName);
    /// The stored enrolment, or nullopt when this device is not enrolled.
    [[nodiscard]] Result<std::optional<DeviceEnrolment>> enrolment();
    /// Ask the server for this device's standing (GET /v1/device).
    [[nodiscard]] Result<DeviceStanding> checkStanding();
    /// An authenticated request with the stored credential to the stored, pinned server.
    [[nodiscard]] Result<ClientResponse> request(ClientRequest request) override;
    /// Replace the credential (token rotation, issue 22): ask the server for a new one, keep it in
    /// the key store (and in live sessions), then use it once so the server retires the old one.
    /// The old one keeps working until the new one is used, so a lost answer strands nothing.
    [[nodiscard]] Status rotateCredential();
    /// Remove the credential and enrolment from the key store.
    [[nodiscard]] Status forget();

    // --- wipe (remote or user-initiated) ---
    /// The wipe check. Uses only the device credential in the key store, so it works while the
    /// app is locked. Delivers a wipe report still owed from an earlier wipe; else asks the
    /// server for this device's standing and, when a wipe is ordered, wipes (wipe()).
    /// Blocking (network): call it off the GUI thread, on a thread where the key store answers.
    [[nodiscard]] Result<WipeOutcome> checkAndWipe(const DestroyLocalData& destroy);
    /// Wipe this device now. In this order: keep a one-shot wipe receipt (derived from the
    /// credential; it can only report this wipe) with the server's address in the key store;
    /// destroy the local data (`destroy`); remove the credential and enrolment; then report to
    /// the server with the receipt. Destruction never waits for the network: when the report
    /// cannot be delivered it is kept and sent by the next checkAndWipe()/reportPendingWipe().
    [[nodiscard]] Result<WipeOutcome> wipe(WipeReason reason, const DestroyLocalData& destroy);
    /// Send a wipe report still owed. True when one was delivered (or none was owed: false).
    [[nodiscard]] Result<bool> reportPendingWipe();
    /// True while a wipe report is owed to the server.
    [[nodiscard]] Result<bool> wipeReportPending();
    /// A transport holding the credential read once, here, on the caller's thread. For the
    /// sync engine: its thread must not reach the key store (QtKeychain answers only on the
    /// thread running the Qt event loop). The token is wiped when the transport goes.
    [[nodiscard]] Result<std::unique_ptr<SyncTransport>> session();

    /// The credential a session holds; the link replaces it when it rotates the credential.
    struct LiveToken {
        std::mutex mutex;
        SecureBytes token;
    };

private:
    [[nodiscard]] std::string entry(std::string_view name) const;

    SyncClient& m_client;
    SecretStore& m_secrets;
    std::string m_profile;
    std::shared_ptr<LiveToken> m_live;  ///< shared with the sessions made here
};

/// Requests with a credential read once from the key store (DeviceLink::session). The link
/// that made it hands it a rotated credential; a request refused (401) just as the credential
/// was replaced is sent once more with the new one.
class DeviceSession final : public SyncTransport {
public:
    DeviceSession(SyncClient& client, ServerEndpoint server, std::shared_ptr<DeviceLink::LiveToken> token);
    /// A session of its own, with a credential no link rotates.
    DeviceSession(SyncClient& client, ServerEndpoint server, SecureBytes token);
    [[nodiscard]] Result<ClientResponse> request(ClientRequest request) override;

private:
    SyncClient& m_client;
    ServerEndpoint m_server;
    std::shared_ptr<DeviceLink::LiveToken> m_token;
};

/// The Error for an HTTP error answer: the server's own words, with the status.
[[nodiscard]] Error errorFromResponse(const ClientResponse& response);

}  // namespace vigil::sync
