#pragma once

#include <QObject>
#include <qqmlintegration.h>

namespace vigil::app {

/// How long a text input may grow (core/records/OpLimits.h, maxTextInputChars): never shorter
/// than a value the store keeps, so nothing saved is cut short on screen, while text pasted by
/// the megabyte stops there. A field's own limit is checked in bytes, with words, before its
/// change is saved (IncidentEditor), and an over-long change holds up no other (issue 22).
class TextLimits final : public QObject {
    Q_OBJECT
    QML_ELEMENT
    QML_SINGLETON

    Q_PROPERTY(int inputChars READ inputChars CONSTANT)

public:
    explicit TextLimits(QObject* parent = nullptr) : QObject(parent) {}

    [[nodiscard]] int inputChars() const noexcept;
};

}  // namespace vigil::app
