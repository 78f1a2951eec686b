using MeshConf.Core.Wire;

namespace MeshConf.Core.Mesh;

/// <summary>
/// The members a node is linked with (not itself: the receiver knows the sender). Sent sealed on the control
/// channel when a link comes up and whenever membership changes.
/// </summary>
internal static class RosterMessage
{
    /// <summary>More members than this in one session is refused by design (a full mesh of 64 is already 2016 links).</summary>
    public const int MaxEntries = 64;

    public const int MaxNameBytes = 64;

    public static byte[] Encode(IReadOnlyCollection<RosterEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        if (entries.Count > MaxEntries)
        {
            throw new ArgumentException($"at most {MaxEntries} roster entries", nameof(entries));
        }

        var writer = new WireWriter(8 + (entries.Count * 48)).Byte((byte)entries.Count);
        foreach (var entry in entries)
        {
            writer.UInt64(entry.NodeId).String8(entry.Name).EndPoint(entry.Address);
        }

        return writer.ToArray();
    }

    public static bool TryDecode(ReadOnlySpan<byte> body, out List<RosterEntry> entries)
    {
        entries = [];
        var reader = new WireReader(body);
        int count = reader.ReadByte();
        if (count > MaxEntries)
        {
            return false;
        }

        for (var i = 0; i < count && !reader.Failed; i++)
        {
            var id = reader.ReadUInt64();
            var name = reader.ReadString8(MaxNameBytes);
            var address = reader.ReadEndPoint();
            if (!reader.Failed && address is not null)
            {
                entries.Add(new RosterEntry(id, name, address));
            }
        }

        if (!reader.IsCompleteAndValid)
        {
            entries = [];
            return false;
        }

        return true;
    }
}
