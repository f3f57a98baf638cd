<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_GB">
<context>
    <name>DraftPage</name>
    <message>
        <source>Back to my incidents</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not saved — see the message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All changes saved on this device</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Returned by your supervisor: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Incident</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Date and time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>YYYY-MM-DDTHH:MM</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Date and time of the incident</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Location</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Where it happened</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Location of the incident</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CAD reference</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The emergency call reference</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This 124D is with your supervisor and cannot be changed here.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>EnrolPage</name>
    <message>
        <source>Enrol this device</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Your administrator gives you a one-time enrolment code (text or QR). Paste or type it below. It names the server this device will send records to, and it can be used only once, for a short time.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enrolment code</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>vigil1:server:port:key:ABC123-…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The code starts with vigil1:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Server: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Name for this device</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Vigil tablet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enrolling…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enrol</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>GradeBadge</name>
    <message>
        <source>Risk: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>HomePage</name>
    <message>
        <source>Signed in as %1 · %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New 124D</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Start a new 124D</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Drafts (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Returned (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Submitted (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Approved (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>My incidents</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No incidents on this device yet. Start one with New 124D; records you may see arrive when the device syncs.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing in this group.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>IncidentDelegate</name>
    <message>
        <source>%1, %2, risk %3, %4, %5</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Date not entered</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Supervisor&apos;s notes: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Main</name>
    <message>
        <source>Vigil</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>124D</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>My incidents</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Lock</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Lock Vigil now</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SetPinPage</name>
    <message>
        <source>Choose your PIN</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enrolled as %1 (%2). Your PIN unlocks the records on this device. Use 6 to 12 digits; not one digit repeated, not a run like 123456, not a common PIN.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New PIN</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The same PIN again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Confirm PIN</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Protecting your records…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Set PIN</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SettingsPage</name>
    <message>
        <source>Server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Address: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Key fingerprint (SPKI SHA-256): %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This device</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Device id: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enrolled for: %1 (%2), %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Security</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Lock after this many minutes without use:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Minutes without use before Vigil locks</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>About Vigil</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 %2 — %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Vigil keeps every record encrypted on this device and sends it only to the server above. It never shows victims&apos; names on the home screen.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StartingPage</name>
    <message>
        <source>Opening Vigil…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SyncIndicator</name>
    <message>
        <source>Sync status: %1. Open for details and Sync now.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sync now</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>UnlockPage</name>
    <message>
        <source>Vigil is locked</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1, enter your PIN to open your records.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PIN</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Too many wrong PINs. You can try again in %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n attempt(s) left before this device erases its Vigil data.</source>
        <translation>
            <numerusform>%n attempt left before this device erases its Vigil data.</numerusform>
            <numerusform>%n attempts left before this device erases its Vigil data.</numerusform>
        </translation>
    </message>
    <message>
        <source>Unlocking…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unlock</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n 124D(s) on this device not yet sent to the station.</source>
        <translation>
            <numerusform>%n 124D on this device not yet sent to the station.</numerusform>
            <numerusform>%n 124Ds on this device not yet sent to the station.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>WipedPage</name>
    <message>
        <source>Vigil data erased</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Vigil cannot start</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This device no longer holds any Vigil records or keys. Ask your administrator for a new enrolment code, then start Vigil again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Close Vigil</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>vigil::app::AppController</name>
    <message>
        <source>Response officer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Investigator</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>IDVA</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Supervisor</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Analyst</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Administrator</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Locked: sync paused</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The two PINs are different. Type the same PIN in both boxes.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>One more wrong PIN will erase all Vigil data on this device, including %n 124D(s) not yet sent to the station. If you are not sure of your PIN, stop and contact your supervisor.</source>
        <translation>
            <numerusform>One more wrong PIN will erase all Vigil data on this device, including %n 124D not yet sent to the station. If you are not sure of your PIN, stop and contact your supervisor.</numerusform>
            <numerusform>One more wrong PIN will erase all Vigil data on this device, including %n 124Ds not yet sent to the station. If you are not sure of your PIN, stop and contact your supervisor.</numerusform>
        </translation>
    </message>
    <message>
        <source>One more wrong PIN will erase all Vigil data on this device. If you are not sure of your PIN, stop and contact your supervisor.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Syncing…</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Offline: %n change(s) waiting</source>
        <translation>
            <numerusform>Offline: %n change waiting</numerusform>
            <numerusform>Offline: %n changes waiting</numerusform>
        </translation>
    </message>
    <message>
        <source>Offline</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Not sent: %n change(s) waiting</source>
        <translation>
            <numerusform>Not sent: %n change waiting</numerusform>
            <numerusform>Not sent: %n changes waiting</numerusform>
        </translation>
    </message>
    <message>
        <source>Sync failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n change(s) waiting</source>
        <translation>
            <numerusform>%n change waiting</numerusform>
            <numerusform>%n changes waiting</numerusform>
        </translation>
    </message>
    <message>
        <source>Not synced yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Synced at %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sync paused</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n change(s) were refused by the server and are kept on this device; your supervisor can see why.</source>
        <translation>
            <numerusform>%n change was refused by the server and are kept on this device; your supervisor can see why.</numerusform>
            <numerusform>%n changes were refused by the server and are kept on this device; your supervisor can see why.</numerusform>
        </translation>
    </message>
    <message>
        <source>This device has not completed a sync yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last complete sync: %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Vigil will try again by itself in %n second(s); &quot;Sync now&quot; tries at once.</source>
        <translation>
            <numerusform>Vigil will try again by itself in %n second; &quot;Sync now&quot; tries at once.</numerusform>
            <numerusform>Vigil will try again by itself in %n seconds; &quot;Sync now&quot; tries at once.</numerusform>
        </translation>
    </message>
    <message>
        <source>Proprietary, for police and partner agencies</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>vigil::app::IncidentListModel</name>
    <message>
        <source>Draft</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Submitted for review</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Returned to you</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Approved</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Under investigation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Closed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>High</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Medium</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Standard</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not graded</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No victim recorded yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sent</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>Not sent: %n change(s)</source>
        <translation>
            <numerusform>Not sent: %n change</numerusform>
            <numerusform>Not sent: %n changes</numerusform>
        </translation>
    </message>
</context>
</TS>
