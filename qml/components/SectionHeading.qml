import QtQuick
import QtQuick.Controls
import Vigil

// A heading inside a page.
Label {
    font.pixelSize: 21
    font.bold: true
    topPadding: Theme.gap
    Accessible.role: Accessible.Heading
    Accessible.name: text
}
