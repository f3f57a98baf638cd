import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Vigil

// A refusal or failure in words, shown where the officer is looking. Hidden when empty.
// `maximumHeight` (0: none) caps a long text, which then scrolls inside the banner with its
// scroll bar showing, so a long note never pushes the page off the screen.
Rectangle {
    id: root

    property string text: ""
    property bool warning: true
    property real maximumHeight: 0

    readonly property real fullHeight: label.implicitHeight + 2 * Theme.gap
    visible: text !== ""
    implicitHeight: !visible ? 0 : maximumHeight > 0 ? Math.min(fullHeight, maximumHeight) : fullHeight
    radius: 6
    color: warning ? Theme.warningBack : Theme.infoBack
    border.color: warning ? Theme.warning : "#1a5fb4"
    Accessible.role: Accessible.AlertMessage
    Accessible.name: text

    Flickable {
        id: flick
        anchors.fill: parent
        anchors.margins: Theme.gap
        contentWidth: width
        contentHeight: label.implicitHeight
        interactive: contentHeight > height
        clip: true
        ScrollBar.vertical: ScrollBar { policy: flick.contentHeight > flick.height + 1 ? ScrollBar.AlwaysOn : ScrollBar.AlwaysOff }

        Label {
            id: label
            objectName: "messageText"
            width: flick.width - (root.maximumHeight > 0 ? 14 : 0)  // room for the scroll bar
            text: root.text
            wrapMode: Text.Wrap
            color: root.warning ? Theme.warning : "#1a3a6b"
            font.pixelSize: Theme.fontBody
        }
    }
}
