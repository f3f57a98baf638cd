import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Vigil

// A refusal or failure in words, shown where the officer is looking. Hidden when empty.
Rectangle {
    id: root

    property string text: ""
    property bool warning: true

    visible: text !== ""
    implicitHeight: visible ? label.implicitHeight + 2 * Theme.gap : 0
    radius: 6
    color: warning ? Theme.warningBack : Theme.infoBack
    border.color: warning ? Theme.warning : "#1a5fb4"
    Accessible.role: Accessible.AlertMessage
    Accessible.name: text

    Label {
        id: label
        anchors.fill: parent
        anchors.margins: Theme.gap
        text: root.text
        wrapMode: Text.Wrap
        color: root.warning ? Theme.warning : "#1a3a6b"
        font.pixelSize: Theme.fontBody
    }
}
