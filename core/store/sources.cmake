# The encrypted device store: database, migrations, key vault, PIN rules.
target_sources(vigil_core PRIVATE
  store/SecureBytes.cpp
  store/Database.cpp
  store/Migrations.cpp
  store/Schema.cpp
  store/PinPolicy.cpp
  store/KeyVault.cpp
  store/SecureStore.cpp
)
