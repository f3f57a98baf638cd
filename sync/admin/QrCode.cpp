#include "sync/admin/QrCode.h"

#include <cstdint>
#include <memory>
#include <vector>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <qrencode.h>
#include <sodium.h>
#include <zlib.h>

namespace vigil::sync {

namespace {

struct QrFree {
    void operator()(QRcode* q) const noexcept { QRcode_free(q); }
};
using QrPtr = std::unique_ptr<QRcode, QrFree>;

Result<QrPtr> encode(std::string_view text)
{
    const std::string copy(text);
    QrPtr qr(QRcode_encodeString(copy.c_str(), 0, QR_ECLEVEL_M, QR_MODE_8, 1));
    if (!qr)
        return makeError(ErrorCode::Internal, "The QR code could not be made (libqrencode). Use the text code instead.");
    return qr;
}

void putU32(std::vector<unsigned char>& out, std::uint32_t v)
{
    out.push_back(static_cast<unsigned char>(v >> 24));
    out.push_back(static_cast<unsigned char>(v >> 16));
    out.push_back(static_cast<unsigned char>(v >> 8));
    out.push_back(static_cast<unsigned char>(v));
}

void chunk(std::vector<unsigned char>& png, const char* type, const std::vector<unsigned char>& data)
{
    putU32(png, static_cast<std::uint32_t>(data.size()));
    const std::size_t start = png.size();
    png.insert(png.end(), type, type + 4);
    png.insert(png.end(), data.begin(), data.end());
    const uLong crc = crc32(0L, png.data() + start, static_cast<uInt>(png.size() - start));
    putU32(png, static_cast<std::uint32_t>(crc));
}

}  // namespace

Result<std::string> qrForTerminal(std::string_view text)
{
    auto qr = encode(text);
    if (!qr)
        return std::move(qr).error();
    const int width = (*qr)->width;
    const int quiet = 2;
    const int size = width + 2 * quiet;
    const auto dark = [&](int x, int y) {
        x -= quiet;
        y -= quiet;
        if (x < 0 || y < 0 || x >= width || y >= width)
            return false;
        return ((*qr)->data[y * width + x] & 1) != 0;
    };
    std::string out;
    for (int y = 0; y < size; y += 2) {
        for (int x = 0; x < size; ++x) {
            const bool top = !dark(x, y);
            const bool bottom = y + 1 < size ? !dark(x, y + 1) : false;
            if (top && bottom)
                out += "\u2588";
            else if (top)
                out += "\u2580";
            else if (bottom)
                out += "\u2584";
            else
                out += " ";
        }
        out += "\n";
    }
    return out;
}

Status writeQrPng(std::string_view text, const std::filesystem::path& file)
{
    auto qr = encode(text);
    if (!qr)
        return std::move(qr).error();
    const int width = (*qr)->width;
    const int scale = 8;
    const int quiet = 4;
    const int px = (width + 2 * quiet) * scale;
    std::vector<unsigned char> raw;
    raw.reserve(static_cast<std::size_t>(px) * static_cast<std::size_t>(px + 1));
    for (int y = 0; y < px; ++y) {
        raw.push_back(0);  // filter: none
        for (int x = 0; x < px; ++x) {
            const int mx = x / scale - quiet;
            const int my = y / scale - quiet;
            const bool isDark = mx >= 0 && my >= 0 && mx < width && my < width && ((*qr)->data[my * width + mx] & 1) != 0;
            raw.push_back(isDark ? 0 : 255);
        }
    }
    std::vector<unsigned char> packed(compressBound(raw.size()));
    uLongf packedSize = packed.size();
    if (compress2(packed.data(), &packedSize, raw.data(), raw.size(), 9) != Z_OK)
        return makeError(ErrorCode::Internal, "The QR image could not be compressed.");
    packed.resize(packedSize);

    std::vector<unsigned char> png = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    std::vector<unsigned char> ihdr;
    putU32(ihdr, static_cast<std::uint32_t>(px));
    putU32(ihdr, static_cast<std::uint32_t>(px));
    ihdr.insert(ihdr.end(), {8, 0, 0, 0, 0});  // 8-bit greyscale, deflate, no filter, no interlace
    chunk(png, "IHDR", ihdr);
    chunk(png, "IDAT", packed);
    chunk(png, "IEND", {});

    const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0)
        return makeError(ErrorCode::Io, "Cannot create " + file.string() + " (does it exist already?). The code was still made.");
    ::fchmod(fd, 0600);
    const bool ok = ::write(fd, png.data(), png.size()) == static_cast<ssize_t>(png.size());
    ::close(fd);
    if (!ok)
        return makeError(ErrorCode::Io, "Cannot write " + file.string() + ".");
    return {};
}

}  // namespace vigil::sync
