namespace MeshConf.Terminal.Call;

/// <summary>
/// The chat line being typed: its text and the cursor's position in it (0 to the text's length; 0-based, in
/// UTF-16 units). The compositor scrolls the text sideways so the cursor stays visible.
/// </summary>
internal readonly record struct ChatInput(string Text, int Cursor);
