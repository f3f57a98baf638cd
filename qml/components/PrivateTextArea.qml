import QtQuick
import QtQuick.Controls
import Vigil

// A multi-line text input for anything that may name, locate or describe a person: see
// PrivateTextField (the keyboard neither learns nor suggests what is typed). It stops at
// TextLimits.inputChars (never shorter than a value the store keeps): what is typed or pasted
// past it is cut off, and the box says so while it is full.
TextArea {
    inputMethodHints: Qt.ImhSensitiveData | Qt.ImhNoPredictiveText
    /// The box holds all it can: it says so while it has the focus.
    readonly property bool full: length >= TextLimits.inputChars
    onTextChanged: if (length > TextLimits.inputChars) remove(TextLimits.inputChars, length)
    ToolTip.visible: activeFocus && full
    ToolTip.text: qsTr("This box is full: it holds at most %1 characters, and nothing past that was added.")
                      .arg(TextLimits.inputChars)
}
