namespace MeshConf.Terminal.Call;

/// <summary>One line of the chat strip: who wrote it, what, and whether it was us. Shown inert, whatever it holds.</summary>
internal sealed record ChatStripLine(string From, string Text, bool IsOwn = false);
