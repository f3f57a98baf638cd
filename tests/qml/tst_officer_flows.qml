import QtQuick
import QtTest
import Vigil

// The officer's first run and daily use, through the real screens: enrol against a real
// server, set a PIN (a refused PIN shows its rule), work on a draft, auto-lock with the
// draft intact, a wrong PIN, lockout and the wipe warning. The functions run in order
// (numbered): each continues from the state the one before left.
TestCase {
    id: root

    property var window: null

    function find(name: string): var {
        const item = findChild(window.contentItem, name)
        verify(item !== null, "no item named " + name + " on screen")
        return item
    }

    function typeInto(name: string, text: string) {
        const field = find(name)
        field.forceActiveFocus()
        field.selectAll()
        keyClick(Qt.Key_Backspace)
        for (let i = 0; i < text.length; ++i)
            keyClick(text[i])
    }

    function unlockWith(pin: string) {
        tryCompare(AppController, "busy", false, 10000)
        tryCompare(find("unlockPinField"), "enabled", true, 10000)  // not during a lockout
        typeInto("unlockPinField", pin)
        keyClick(Qt.Key_Return)  // Enter unlocks, as on a desktop keyboard
    }

    name: "OfficerFlows"
    when: windowShown

    function initTestCase() {
        const component = Qt.createComponent("qrc:/Vigil/Main.qml")
        compare(component.status, Component.Ready, component.errorString())
        // A landscape tablet (the window otherwise fits the test screen, 800x600 offscreen).
        window = component.createObject(null, {width: 1280, height: 800})
        verify(window)
        window.requestActivate()
        tryCompare(AppController, "stage", AppController.Enrol, 10000)
    }

    function test_1_enrol() {
        const code = find("codeField")
        const kept = code.text
        verify(kept.startsWith("vigil1:"), "the enrolment code is filled in")
        compare(find("codeCheck").text.indexOf("Server: 127.0.0.1:"), 0)

        code.text = "vigil1:not-a-code"
        verify(find("codeCheck").text.length > 20, "a malformed code is explained")
        verify(!find("enrolButton").enabled, "a malformed code cannot be sent")

        code.text = kept
        verify(find("enrolButton").enabled)
        mouseClick(find("enrolButton"))
        tryCompare(AppController, "stage", AppController.SetPin, 20000)
        compare(AppController.userId, "pc.4821")
    }

    function test_2_set_pin_shows_the_broken_rule() {
        const confirmY = find("confirmPinField").mapToItem(null, 0, 0).y
        typeInto("newPinField", "123456")
        const rule = find("pinRule")
        verify(rule.text.length > 0, "the rule shows while typing")
        compare(find("confirmPinField").mapToItem(null, 0, 0).y, confirmY, "the confirm field did not move")
        typeInto("confirmPinField", "123456")
        mouseClick(find("setPinButton"))
        compare(AppController.stage, AppController.SetPin, "a refused PIN is not set")
        verify(find("setPinMessage").text.length > 0, "the refusal names the rule")

        typeInto("newPinField", "582914")
        compare(find("pinRule").text, "")
        typeInto("confirmPinField", "582917")
        mouseClick(find("setPinButton"))
        verify(AppController.message.indexOf("different") >= 0, "two different PINs are refused")

        typeInto("confirmPinField", "582914")
        mouseClick(find("setPinButton"))
        tryCompare(AppController, "stage", AppController.Home, 20000)
    }

    function test_3_a_draft_autosaves() {
        compare(Home.incidents.totalCount, 0)
        mouseClick(find("newDraftButton"))
        tryVerify(() => Draft.incidentId !== "", 10000)
        tryCompare(Draft, "state", "draft", 10000)
        // The field is read-only until the 124D has loaded: keys before that go nowhere.
        tryVerify(() => Draft.editor.editable, 10000)
        verify(!find("locationField").readOnly)
        typeInto("locationField", "Flat 3, 12 Example Road")
        compare(Draft.saveState, "saving")
        tryCompare(Draft, "saveState", "saved", 5000)
    }

    function test_4_auto_lock_keeps_the_draft() {
        const draft = Draft.incidentId
        AppController.autoLockSeconds = 2
        tryCompare(AppController, "stage", AppController.Unlock, 6000)
        compare(Draft.location, "", "nothing personal is kept on screen while locked")
        AppController.autoLockSeconds = 300
        unlockWith("582914")
        tryCompare(AppController, "stage", AppController.Home, 15000)
        compare(Draft.incidentId, draft, "the draft reopens after unlock")
        tryCompare(Draft, "location", "Flat 3, 12 Example Road", 5000)
        tryCompare(find("locationField"), "text", "Flat 3, 12 Example Road", 5000)
    }

    function test_5_wrong_pin_shows_attempts_left() {
        // Offline, a change stays on the device: the wipe warning must count it later.
        SyncStatus.setOnline(false)
        tryCompare(SyncStatus, "state", "offline", 10000)
        typeInto("cadField", "CAD 4821")
        tryCompare(Draft, "saveState", "saved", 5000)
        tryVerify(() => SyncStatus.queued > 0, 5000)
        mouseClick(find("lockButton"))
        tryCompare(AppController, "stage", AppController.Unlock, 5000)
        unlockWith("000000")
        tryCompare(AppController, "failedAttempts", 1, 10000)
        compare(AppController.stage, AppController.Unlock)
        verify(find("unlockMessage").text.length > 0, "the wrong PIN is explained")
        const attempts = find("attemptsLabel")
        verify(attempts.visible)
        verify(attempts.text.indexOf("4") >= 0, attempts.text)
    }

    function test_6_lockout_then_wipe_warning_then_unlock() {
        unlockWith("000001")
        tryCompare(AppController, "failedAttempts", 2, 10000)
        unlockWith("000002")
        tryCompare(AppController, "failedAttempts", 3, 10000)
        verify(AppController.lockoutSeconds > 0, "locked out after 3 wrong PINs: " + AppController.message + " / " + AppController.lockoutSeconds)
        verify(find("lockoutLabel").visible)
        verify(!find("unlockButton").enabled, "no attempts during the lockout")
        tryCompare(AppController, "lockoutSeconds", 0, 8000)

        unlockWith("000003")
        tryCompare(AppController, "failedAttempts", 4, 10000)
        compare(AppController.attemptsBeforeWipe, 1)
        const warning = find("wipeWarning")
        verify(warning.visible, "the last attempt is announced")
        verify(warning.text.indexOf("erase") >= 0, warning.text)
        verify(warning.text.indexOf("1 124D") >= 0, "the unsent draft is counted: " + warning.text)

        tryCompare(AppController, "lockoutSeconds", 0, 15000)
        unlockWith("582914")
        tryCompare(AppController, "stage", AppController.Home, 15000)
        compare(AppController.failedAttempts, 0)
    }
}
