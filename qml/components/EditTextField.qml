import QtQuick
import QtQuick.Controls

// A one-line text input for a stored value that never overwrites what is being typed. It
// shows `stored` while it does not have the focus, and whenever `key` (which field it shows)
// changes; what the user types is reported by `edited`. Binding `text` to the store instead
// lets a change elsewhere rebind it mid-word, and the stale text is then written back.
PrivateTextField {
    id: root

    property string stored: ""
    /// Which field this is (its path): a new key shows its stored value even while focused.
    property string key: ""
    signal edited(string text)

    property string shownKey: ""
    function show() {
        shownKey = key
        if (text !== stored)
            text = stored
    }

    onStoredChanged: if (!activeFocus || key !== shownKey) show()
    onKeyChanged: show()
    onActiveFocusChanged: if (!activeFocus) show()
    Component.onCompleted: show()
    onTextEdited: edited(text)
}
