namespace MeshConf.Cli.Join;

/// <summary>What a line on a headless node's stdin asks for.</summary>
internal enum HeadlessCommandKind
{
    Chat,
    Mute,
    Unmute,
    VideoOn,
    VideoOff,
    Leave,
}

/// <summary>
/// One command a bot or test types into `join --headless` on stdin, a line each:
/// <c>chat TEXT</c>, <c>mute</c>, <c>unmute</c>, <c>video on</c>, <c>video off</c>, <c>leave</c>.
/// </summary>
internal readonly record struct HeadlessCommand(HeadlessCommandKind Kind, string Text = "")
{
    public const string Usage = "commands: chat TEXT | mute | unmute | video on | video off | leave";

    public static bool TryParse(string line, out HeadlessCommand command, out string error)
    {
        ArgumentNullException.ThrowIfNull(line);
        command = default;
        error = string.Empty;
        var trimmed = line.Trim();
        var space = trimmed.IndexOf(' ', StringComparison.Ordinal);
        var verb = space < 0 ? trimmed : trimmed[..space];
        var rest = space < 0 ? string.Empty : trimmed[(space + 1)..].Trim();
        switch (verb)
        {
            case "chat" when rest.Length > 0:
                command = new HeadlessCommand(HeadlessCommandKind.Chat, rest);
                return true;
            case "mute" when rest.Length == 0:
                command = new HeadlessCommand(HeadlessCommandKind.Mute);
                return true;
            case "unmute" when rest.Length == 0:
                command = new HeadlessCommand(HeadlessCommandKind.Unmute);
                return true;
            case "video" when rest is "on" or "off":
                command = new HeadlessCommand(rest == "on" ? HeadlessCommandKind.VideoOn : HeadlessCommandKind.VideoOff);
                return true;
            case "leave" or "quit" when rest.Length == 0:
                command = new HeadlessCommand(HeadlessCommandKind.Leave);
                return true;
            default:
                error = $"'{Shorten(trimmed)}' is not a command; {Usage}";
                return false;
        }
    }

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "...";
}
