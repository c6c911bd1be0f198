using SpeakUp.Core.Messaging;

namespace SpeakUp.Web;

/// <summary>A file type the chat accepts: what the core calls it, what the page calls it, and the extension it is stored with.</summary>
internal sealed record WebMediaType(string MimeType, MediaKind Kind, string Name, string Extension);

/// <summary>
/// The photos, videos and voice notes a supporter may send, by MIME type. The browser's type decides; the file's own name
/// is never used (it is stored under a name we make).
/// </summary>
internal static class WebMedia
{
    private static readonly Dictionary<string, WebMediaType> Types = new WebMediaType[]
    {
        new("image/jpeg", MediaKind.Photo, "photo", ".jpg"),
        new("image/png", MediaKind.Photo, "photo", ".png"),
        new("image/webp", MediaKind.Photo, "photo", ".webp"),
        new("image/heic", MediaKind.Photo, "photo", ".heic"),
        new("image/heif", MediaKind.Photo, "photo", ".heif"),
        new("video/mp4", MediaKind.Video, "video", ".mp4"),
        new("video/webm", MediaKind.Video, "video", ".webm"),
        new("video/quicktime", MediaKind.Video, "video", ".mov"),
        new("video/3gpp", MediaKind.Video, "video", ".3gp"),
        new("audio/ogg", MediaKind.Voice, "voice", ".ogg"),
        new("audio/webm", MediaKind.Voice, "voice", ".weba"),
        new("audio/mpeg", MediaKind.Voice, "voice", ".mp3"),
        new("audio/mp4", MediaKind.Voice, "voice", ".m4a"),
        new("audio/x-m4a", MediaKind.Voice, "voice", ".m4a"),
        new("audio/aac", MediaKind.Voice, "voice", ".aac"),
        new("audio/amr", MediaKind.Voice, "voice", ".amr"),
        new("audio/wav", MediaKind.Voice, "voice", ".wav"),
    }.ToDictionary(t => t.MimeType, StringComparer.OrdinalIgnoreCase);

    public static WebMediaType? Find(string? contentType)
    {
        var mime = contentType?.Split(';')[0].Trim();
        return mime is not null && Types.TryGetValue(mime, out var type) ? type : null;
    }
}
