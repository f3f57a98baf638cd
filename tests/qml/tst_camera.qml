import QtQuick
import QtTest
import Vigil

// The Evidence section where there is no camera Vigil can use (CI; Qt 6.4 offers no test
// camera): it says so in plain words, shows no camera controls, and keeps the file import.
// The section is made here and thrown away: nothing the officer flows rely on is touched.
TestCase {
    id: root

    name: "Camera"

    Component {
        id: evidence
        EvidenceSection {}
    }

    function test_noCameraSaysSoAndKeepsTheFileImport() {
        const section = createTemporaryObject(evidence, root)
        verify(section !== null, "the Evidence section did not load")
        const camera = findChild(section, "photoCamera")
        verify(camera !== null, "no camera object in the Evidence section")
        if (camera.available)
            skip("This machine has a camera: the words for a device without one are not shown")
        compare(findChild(section, "cameraCapture").visible, false)
        const help = findChild(section, "photoHelp").text
        verify(help.indexOf("This device has no camera Vigil can use: add photos from a file.") >= 0, help)
        verify(findChild(section, "addPhotoButton") !== null, "the file import is gone")
    }
}
