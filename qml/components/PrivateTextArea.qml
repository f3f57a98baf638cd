import QtQuick
import QtQuick.Controls

// A multi-line text input for anything that may name, locate or describe a person: see
// PrivateTextField (the keyboard neither learns nor suggests what is typed).
TextArea {
    inputMethodHints: Qt.ImhSensitiveData | Qt.ImhNoPredictiveText
}
