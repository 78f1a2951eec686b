using MeshConf.Core.Wire;

namespace MeshConf.Core.Mesh;

/// <summary>A refusal with a machine-readable code and a sentence for the other side's user.</summary>
internal sealed record RefuseMessage(RefusalCode Code, string Reason)
{
    public const int MaxReasonBytes = 200;

    public byte[] Encode()
    {
        var reason = Reason;
        while (WireWriter.Utf8Length(reason) > MaxReasonBytes)
        {
            reason = reason[..^1];
        }

        return new WireWriter(8 + reason.Length)
            .Byte((byte)ClearMessageKind.Refuse)
            .Byte((byte)Code)
            .String8(reason)
            .ToArray();
    }

    /// <summary>Parses a clear Refuse message, kind byte included.</summary>
    public static RefuseMessage? TryDecode(ReadOnlySpan<byte> message) =>
        message.Length > 0 && message[0] == (byte)ClearMessageKind.Refuse ? TryDecodeBody(message[1..]) : null;

    private static RefuseMessage? TryDecodeBody(ReadOnlySpan<byte> body)
    {
        var reader = new WireReader(body);
        var code = reader.ReadByte();
        var reason = reader.ReadString8(MaxReasonBytes);
        return reader.IsCompleteAndValid ? new RefuseMessage((RefusalCode)code, reason) : null;
    }
}
