// vigil-admin and vigil-server as an administrator meets them: help, misuse, files, keys.
#include <catch2/catch.hpp>

#include <cstdio>
#include <cstdlib>
#include <fstream>

#include <sys/stat.h>

#include <openssl/bio.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include "sync/protocol/Encoding.h"
#include "sync/protocol/EnrolmentCode.h"
#include "tests/support/FileScan.h"
#include "tests/support/TempDir.h"
#include "tests/sync/Process.h"
#include "tests/sync/StoreBackends.h"

using namespace vigil;
using vigil::test::admin;
using vigil::test::runProcess;

namespace {

/// A PEM certificate's subjectAltName as OpenSSL prints it ("DNS:localhost, IP Address:127.0.0.1").
std::string subjectAltNames(const std::filesystem::path& file)
{
    std::string out;
    FILE* f = std::fopen(file.c_str(), "r");
    if (!f)
        return out;
    X509* cert = PEM_read_X509(f, nullptr, nullptr, nullptr);
    std::fclose(f);
    if (!cert)
        return out;
    if (const int at = X509_get_ext_by_NID(cert, NID_subject_alt_name, -1); at >= 0) {
        BIO* bio = BIO_new(BIO_s_mem());
        if (bio && X509V3_EXT_print(bio, X509_get_ext(cert, at), 0, 0) == 1) {
            char buf[1024];
            int n = 0;
            while ((n = BIO_read(bio, buf, static_cast<int>(sizeof buf))) > 0)
                out.append(buf, static_cast<std::size_t>(n));
        }
        BIO_free(bio);
    }
    X509_free(cert);
    return out;
}

}  // namespace

TEST_CASE("Every vigil-admin command has --help", "[admin][cli]")
{
    for (const auto& args : std::vector<std::vector<std::string>>{
             {"--help"}, {"init", "--help"}, {"user", "--help"}, {"user", "add", "--help"}, {"enrol-code", "--help"},
             {"enrol-code", "create", "--help"}, {"device", "--help"}, {"device", "revoke", "--help"}, {"pin", "--help"}}) {
        auto r = admin(args);
        INFO(args.front());
        CHECK(r.exitCode == 0);
        CHECK_THAT(r.out, Catch::Contains("Usage"));
    }
    auto server = runProcess(VIGIL_SERVER_EXE, {"--help"});
    CHECK(server.exitCode == 0);
    CHECK_THAT(server.out, Catch::Contains("--config"));
}

TEST_CASE("vigil-admin init makes a private server folder and prints the pin", "[admin][cli]")
{
    test::TempDir dir("vigil-admin");
    const auto data = dir.path() / "srv";
    auto r = admin({"init", "--data-dir", data.string()});
    REQUIRE(r.exitCode == 0);
    CHECK(test::permissions(data) == 0700);
    CHECK(test::permissions(data / "server.key") == 0600);
    CHECK(test::permissions(data / "tls" / "key.pem") == 0600);
    CHECK(test::permissions(data / "server.json") == 0600);
    auto pin = admin({"--data-dir", data.string(), "pin"});
    REQUIRE(pin.exitCode == 0);
    const std::string pinText = pin.out.substr(0, pin.out.find('\n'));
    CHECK(sync::pinFromText(pinText).has_value());
    CHECK_THAT(r.out, Catch::Contains(pinText));
    // The store is encrypted: user ids written to it are not in any file.
    REQUIRE(admin({"--data-dir", data.string(), "user", "add", "idva.zz91", "--role", "idva", "--team", "t",
                   "--borough", "b"})
                .exitCode
            == 0);
    CHECK(test::scanForPlaintext(data, {"idva.zz91"}).empty());

    auto again = admin({"init", "--data-dir", data.string()});
    CHECK(again.exitCode == 1);
    CHECK_THAT(again.err, Catch::Contains("already holds a Vigil server"));
}

TEST_CASE("vigil-admin init --config sets up the server a configuration describes and leaves the file alone",
          "[admin][cli][packaging]")
{
    test::TempDir dir("vigil-admin");
    const auto data = dir.path() / "lib";
    const auto config = dir.path() / "etc" / "server.json";
    std::filesystem::create_directories(config.parent_path());
    // As the packaged /etc/vigil/server.json: comments, data_dir elsewhere, the shipped risk models.
    const std::string text = "// the packaged configuration\n{\n  \"data_dir\": \"" + data.string()
                             + "\",\n  \"port\": 0,\n  \"metrics_port\": 0,\n  \"public_host\": \"vigil.example.org\",\n"
                               "  \"risk_model_dir\": \"\"\n}\n";
    std::ofstream(config) << text;
    const auto readConfig = [&] {
        std::ifstream in(config);
        return std::string(std::istreambuf_iterator<char>(in), {});
    };

    auto noFolder = admin({"--config", config.string(), "init"});
    CHECK(noFolder.exitCode == 1);
    CHECK_THAT(noFolder.err, Catch::Contains(data.string()) && Catch::Contains("does not exist"));

    std::filesystem::create_directories(data);
    auto r = admin({"--config", config.string(), "init"});
    REQUIRE(r.exitCode == 0);
    CHECK_THAT(r.out, Catch::Contains("server pin"));
    CHECK(readConfig() == text);
    CHECK_FALSE(std::filesystem::exists(data / "server.json"));
    CHECK(test::permissions(data / "server.key") == 0600);
    CHECK(test::permissions(data / "tls") == 0700);
    CHECK(test::permissions(data / "tls" / "key.pem") == 0600);
    CHECK(std::filesystem::exists(data / "vigil-server.db"));
    // The certificate names the public host devices are given.
    CHECK_THAT(subjectAltNames(data / "tls" / "cert.pem"),
               Catch::Contains("DNS:vigil.example.org") && Catch::Contains("IP Address:127.0.0.1"));
    // It is a server that starts, and the other commands work on it through the same file.
    CHECK(runProcess(VIGIL_SERVER_EXE, {"--check", "--config", config.string()}).exitCode == 0);
    CHECK(admin({"--config", config.string(), "user", "list"}).exitCode == 0);

    auto again = admin({"--config", config.string(), "init"});
    CHECK(again.exitCode == 1);
    CHECK_THAT(again.err, Catch::Contains("already exists") && Catch::Contains("Nothing was changed"));
    CHECK(readConfig() == text);

    // Where it listens is the file's to say; init takes no default configuration.
    auto listen = admin({"--config", config.string(), "init", "--listen", "0.0.0.0"});
    CHECK(listen.exitCode == 2);
    CHECK_THAT(listen.err, Catch::Contains("listen_address"));
    auto neither = admin({"init"});
    CHECK(neither.exitCode == 2);
    CHECK_THAT(neither.err, Catch::Contains("--data-dir") && Catch::Contains("--config"));
}

TEST_CASE("vigil-admin says what is wrong for every misuse", "[admin][cli]")
{
    test::TempDir dir("vigil-admin");
    const std::string data = (dir.path() / "srv").string();
    REQUIRE(admin({"init", "--data-dir", data}).exitCode == 0);
    const auto run = [&](std::vector<std::string> args) {
        args.insert(args.begin(), {"--data-dir", data});
        return admin(args);
    };
    CHECK(admin({}).exitCode == 2);
    CHECK(admin({"frobnicate"}).exitCode == 2);
    CHECK(admin({"init"}).exitCode == 2);
    auto noRole = run({"user", "add", "pc.1", "--team", "t", "--borough", "b"});
    CHECK(noRole.exitCode == 2);
    CHECK_THAT(noRole.err, Catch::Contains("--role"));
    auto badRole = run({"user", "add", "pc.1", "--role", "sheriff", "--team", "t", "--borough", "b"});
    CHECK(badRole.exitCode == 2);
    CHECK_THAT(badRole.err, Catch::Contains("officer, investigator"));
    auto badId = run({"user", "add", "PC Smith", "--role", "officer", "--team", "t", "--borough", "b"});
    CHECK(badId.exitCode == 1);
    CHECK_THAT(badId.err, Catch::Contains("not allowed"));
    REQUIRE(run({"user", "add", "pc.1", "--role", "supervisor", "--team", "t", "--borough", "b"}).exitCode == 0);
    auto dup = run({"user", "add", "pc.1", "--role", "officer", "--team", "t", "--borough", "b"});
    CHECK(dup.exitCode == 1);
    CHECK_THAT(dup.err, Catch::Contains("already exists"));
    auto update = run({"user", "update", "pc.1", "--scope", "all", "--restricted", "yes"});
    CHECK(update.exitCode == 0);
    auto list = run({"user", "list"});
    CHECK_THAT(list.out, Catch::Contains("pc.1") && Catch::Contains("supervisor") && Catch::Contains("cleared"));
    CHECK(run({"user", "update", "nobody", "--team", "x"}).exitCode == 1);
    CHECK(run({"enrol-code", "create"}).exitCode == 2);
    CHECK(run({"enrol-code", "create", "--user", "nobody", "--server", "127.0.0.1:8443"}).exitCode == 1);
    CHECK(run({"enrol-code", "create", "--user", "pc.1", "--expires", "soon"}).exitCode == 2);
    CHECK(run({"enrol-code", "create", "--user", "pc.1", "--expires", "48h"}).exitCode == 1);
    CHECK(run({"enrol-code", "create", "--user", "pc.1", "--tries", "0"}).exitCode == 1);
    CHECK(run({"device", "revoke"}).exitCode == 2);
    auto missing = admin({"--data-dir", (dir.path() / "none").string(), "user", "list"});
    CHECK(missing.exitCode == 1);
    CHECK_THAT(missing.err, Catch::Contains("vigil-admin init"));
}

TEST_CASE("An enrolment code carries the server pin and prints as a QR code and PNG", "[admin][code]")
{
    test::TempDir dir("vigil-admin");
    const std::string data = (dir.path() / "srv").string();
    REQUIRE(admin({"init", "--data-dir", data}).exitCode == 0);
    REQUIRE(admin({"--data-dir", data, "user", "add", "pc.1", "--role", "officer", "--team", "t", "--borough", "b"})
                .exitCode
            == 0);
    const auto png = dir.path() / "code.png";
    auto r = admin({"--data-dir", data, "enrol-code", "create", "--user", "pc.1", "--png", png.string()});
    REQUIRE(r.exitCode == 0);
    auto code = sync::parseEnrolmentCode(test::codeLineIn(r.out));
    REQUIRE(code.ok());
    CHECK(code->host == "127.0.0.1");
    CHECK(code->port == 8443);
    auto pin = admin({"--data-dir", data, "pin"});
    CHECK(sync::pinToText(code->pin) == pin.out.substr(0, pin.out.find('\n')));
    CHECK_THAT(r.out, Catch::Contains("\u2588"));
    CHECK(test::permissions(png) == 0600);
    CHECK(test::readFile(png).substr(1, 3) == "PNG");
    // Secrets are stored hashed: the secret is in no file of the server folder.
    CHECK(test::scanForPlaintext(data, {code->secret}).empty());
}

TEST_CASE("vigil-server refuses a server key other users can read", "[admin][server]")
{
    test::TempDir dir("vigil-admin");
    const auto data = dir.path() / "srv";
    REQUIRE(admin({"init", "--data-dir", data.string(), "--port", "0"}).exitCode == 0);
    ::chmod((data / "server.key").c_str(), 0644);
    auto r = runProcess(VIGIL_SERVER_EXE, {"--config", (data / "server.json").string(), "--check"});
    CHECK(r.exitCode == 1);
    CHECK_THAT(r.err, Catch::Contains("chmod 600"));
    ::chmod((data / "server.key").c_str(), 0600);
    auto ok = runProcess(VIGIL_SERVER_EXE, {"--config", (data / "server.json").string(), "--check"});
    CHECK(ok.exitCode == 0);
    auto badOption = runProcess(VIGIL_SERVER_EXE, {"--verbose"});
    CHECK(badOption.exitCode == 2);
}

TEST_CASE("vigil-server refuses a configuration with an unknown setting", "[admin][server]")
{
    test::TempDir dir("vigil-admin");
    const auto data = dir.path() / "srv";
    REQUIRE(admin({"init", "--data-dir", data.string(), "--port", "0"}).exitCode == 0);
    std::string text = test::readFile(data / "server.json");
    text.insert(text.find('{') + 1, "\"lisen_address\": \"0.0.0.0\",");
    ::chmod((data / "server.json").c_str(), 0600);
    {
        std::ofstream out(data / "server.json", std::ios::trunc);
        out << text;
    }
    auto r = runProcess(VIGIL_SERVER_EXE, {"--config", (data / "server.json").string(), "--check"});
    CHECK(r.exitCode == 1);
    CHECK_THAT(r.err, Catch::Contains("lisen_address"));
}

TEST_CASE("The store is chosen in the configuration: an unknown store or PostgreSQL without a database named is "
          "refused with what to write, and a PostgreSQL store is not backed up as if it were the SQLCipher file",
          "[admin][server][postgresql]")
{
    test::TempDir dir("vigil-admin");
    const auto data = dir.path() / "srv";
    REQUIRE(admin({"init", "--data-dir", data.string(), "--port", "0"}).exitCode == 0);
    const auto file = data / "server.json";
    const auto check = [&](const std::function<void(nlohmann::json&)>& edit) {
        auto config = nlohmann::json::parse(test::readFile(file));
        edit(config);
        std::ofstream(file, std::ios::trunc) << config.dump(2);
        return runProcess(VIGIL_SERVER_EXE, {"--config", file.string(), "--check"});
    };
    // What init writes names the default store.
    CHECK(nlohmann::json::parse(test::readFile(file)).at("store") == "sqlcipher");
    auto unknown = check([](nlohmann::json& c) { c["store"] = "mysql"; });
    CHECK(unknown.exitCode == 1);
    CHECK_THAT(unknown.err, Catch::Contains("store") && Catch::Contains("\"sqlcipher\"")
                                && Catch::Contains("\"postgresql\""));
    auto nowhere = check([](nlohmann::json& c) {
        c["store"] = "postgresql";
        c["postgresql_conninfo"] = "";
    });
    CHECK(nowhere.exitCode == 1);
    CHECK_THAT(nowhere.err, Catch::Contains("postgresql_conninfo") && Catch::Contains("host="));
    // The rest where the suite runs on PostgreSQL (sync.pg.*: the fixture's cluster is up).
    const char* store = std::getenv("VIGIL_TEST_STORE");
    if (!store || std::string(store) != "postgresql" || !test::postgresInstalled())
        return;
    // A real PostgreSQL store: the server starts on it, vigil-admin manages it, and refuses to back
    // it up as if it were the SQLCipher file.
    const sync::PgSettings pg = test::clusterSettings(test::freshSchema());
    auto ready = check([&](nlohmann::json& c) {
        c["store"] = "postgresql";
        c["postgresql_conninfo"] = pg.conninfo;
        c["postgresql_password_file"] = pg.passwordFile.string();
        c["postgresql_schema"] = pg.schema;
    });
    INFO(ready.err);
    CHECK(ready.exitCode == 0);
    CHECK(admin({"--data-dir", data.string(), "user", "add", "pc.a", "--role", "officer", "--team", "north",
                 "--borough", "camden", "--name", "Invented Officer"})
              .exitCode
          == 0);
    auto users = admin({"--data-dir", data.string(), "user", "list"});
    CHECK_THAT(users.out, Catch::Contains("pc.a"));
    auto backup = admin({"--data-dir", data.string(), "backup", "--out", (dir.path() / "b.db").string()});
    CHECK(backup.exitCode != 0);
    CHECK_THAT(backup.err, Catch::Contains("pg_dump"));
}

TEST_CASE("init with a provided certificate uses it and checks the key matches", "[admin][cli]")
{
    test::TempDir dir("vigil-admin");
    const auto first = dir.path() / "first";
    REQUIRE(admin({"init", "--data-dir", first.string()}).exitCode == 0);
    const auto second = dir.path() / "second";
    auto r = admin({"init", "--data-dir", second.string(), "--cert", (first / "tls/cert.pem").string(), "--key",
                    (first / "tls/key.pem").string()});
    REQUIRE(r.exitCode == 0);
    CHECK(admin({"--data-dir", first.string(), "pin"}).out == admin({"--data-dir", second.string(), "pin"}).out);

    const auto third = dir.path() / "third";
    REQUIRE(admin({"init", "--data-dir", third.string()}).exitCode == 0);
    auto mismatch = admin({"init", "--data-dir", (dir.path() / "fourth").string(), "--cert",
                           (first / "tls/cert.pem").string(), "--key", (third / "tls/key.pem").string()});
    CHECK(mismatch.exitCode == 1);
    CHECK_THAT(mismatch.err, Catch::Contains("does not belong"));
}
