import QtQuick
import QtQuick.Controls
import Vigil

// A check box whose words wrap on a narrow column (a portrait tablet, the case page's half of
// a landscape one) instead of eliding or widening the column: the style's own label elides, and
// a layout gives a box that does not fill its width all of its text.
CheckBox {
    id: control

    implicitHeight: Math.max(Theme.touch, implicitContentHeight + topPadding + bottomPadding)
    Accessible.name: text
    contentItem: Label {
        leftPadding: control.indicator && !control.mirrored ? control.indicator.width + control.spacing : 0
        rightPadding: control.indicator && control.mirrored ? control.indicator.width + control.spacing : 0
        text: control.text
        font: control.font
        wrapMode: Text.Wrap
        verticalAlignment: Text.AlignVCenter
    }
}
