import QtQuick
import QtQuick.Controls

// A multi-line text input for a stored value that never overwrites what is being typed (see
// EditTextField): shows `stored` while not focused and whenever `key` changes; reports what
// the user types with `edited`.
PrivateTextArea {
    id: root

    property string stored: ""
    /// Which field this is (its path): a new key shows its stored value even while focused.
    property string key: ""
    signal edited(string text)

    property string shownKey: ""
    property bool showing: false
    function show() {
        shownKey = key
        if (text === stored)
            return
        showing = true
        text = stored
        showing = false
    }

    onStoredChanged: if (!activeFocus || key !== shownKey) show()
    onKeyChanged: show()
    onActiveFocusChanged: if (!activeFocus) show()
    Component.onCompleted: show()
    onTextChanged: if (!showing && activeFocus) edited(text)
}
