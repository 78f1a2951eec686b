namespace MeshConf.Core.Dns;

/// <summary>
/// Why <see cref="DnsMessage.TryRead"/> rejected a packet: constant strings, so rejecting costs no allocation
/// and a caller can count rejections by reason.
/// </summary>
internal static class DnsReadErrors
{
    public const string TruncatedHeader = "truncated header";
    public const string CountsExceedData = "section counts larger than the data";
    public const string TruncatedName = "truncated name";
    public const string LabelType = "label longer than 63 bytes (reserved label type 0x40 or 0x80)";
    public const string NameTooLong = "name longer than 255 bytes";
    public const string PointerOutOfBounds = "name pointer past the end of the packet";
    public const string PointerIntoHeader = "name pointer into the header";
    public const string PointerNotBackward = "name pointer not backward (a loop or a forward reference)";
    public const string TruncatedQuestion = "truncated question";
    public const string TruncatedRecord = "truncated record";
    public const string TruncatedRdata = "rdata past the end of the packet";
    public const string RdataLength = "rdata length does not match its content";
    public const string NsecBitmap = "malformed NSEC type bitmap";
    public const string TrailingBytes = "bytes after the last record";
}
