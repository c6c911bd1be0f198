using System.Text.Json;
using System.Text.Json.Serialization;

namespace SpeakUp.Core.Sessions;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(Session))]
internal sealed partial class SessionJsonContext : JsonSerializerContext;

/// <summary>The one place sessions become bytes and back, so every store writes the same format.</summary>
public static class SessionJson
{
    public static byte[] Serialize(Session session) => JsonSerializer.SerializeToUtf8Bytes(session, SessionJsonContext.Default.Session);

    /// <summary>Reads a stored session; the caller sets <see cref="Session.Chat"/> and <see cref="Session.Version"/>.</summary>
    public static Session Deserialize(ReadOnlySpan<byte> json) =>
        JsonSerializer.Deserialize(json, SessionJsonContext.Default.Session) ?? throw new JsonException("A stored session was null.");
}
