namespace MeshConf.Core.Layout;

/// <summary>How your own view is shown while there are remote peers (alone, it is the whole screen).</summary>
internal enum SelfViewMode
{
    /// <summary>A small picture in a bottom corner over the remote tiles (picture-in-picture).</summary>
    Inset,

    /// <summary>Only the label (name, mute and video state) on one line: for a self-view with no video.</summary>
    Label,

    /// <summary>Not shown; the status line still names you and says when you are muted.</summary>
    Hidden,
}
