import QtQuick
import QtQuick.Controls
import Vigil

// A PIN box: digits only, hidden, large enough for a gloved thumb.
TextField {
    id: root

    echoMode: TextInput.Password
    inputMethodHints: Qt.ImhDigitsOnly | Qt.ImhSensitiveData | Qt.ImhNoPredictiveText
    validator: RegularExpressionValidator { regularExpression: /[0-9]{0,12}/ }
    maximumLength: 12
    implicitHeight: Theme.touch + 8
    font.pixelSize: 26
    font.letterSpacing: 6
    horizontalAlignment: TextInput.AlignHCenter
    Accessible.role: Accessible.EditableText
    Accessible.passwordEdit: true
}
