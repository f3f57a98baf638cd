import QtQuick
import QtQuick.Controls
import Vigil

// A one-line text input for anything that may name, locate or describe a person: the
// on-screen keyboard is told the text is sensitive and not to predict it, so it neither learns
// a victim's name or address nor offers it later in another app (issue 22). Every text input
// of the app is one of these or PrivateTextArea (tests walk the screens and check). It stops
// at TextLimits.inputChars (never shorter than a value the store keeps).
TextField {
    inputMethodHints: Qt.ImhSensitiveData | Qt.ImhNoPredictiveText
    maximumLength: TextLimits.inputChars
}
