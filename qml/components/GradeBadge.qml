import QtQuick
import QtQuick.Controls
import Vigil

// The risk grade as a coloured badge with the word (colour is never the only cue).
Rectangle {
    id: root

    property string grade: ""
    property string label: ""

    implicitWidth: text.implicitWidth + 24
    implicitHeight: 34
    radius: 17
    color: Theme.gradeColour(grade)
    Accessible.role: Accessible.StaticText
    Accessible.name: qsTr("Risk: %1").arg(label)

    Label {
        id: text
        anchors.centerIn: parent
        text: root.label
        color: "white"
        font.bold: true
        font.pixelSize: Theme.fontSmall
    }
}
