namespace MeshConf.Terminal.Input;

/// <summary>What a key press was: a printable character, or one of the keys the call screen uses.</summary>
public enum KeyKind
{
    Character,
    Enter,
    Escape,
    Backspace,
    Tab,
    Up,
    Down,
    Left,
    Right,
    Home,
    End,
    PageUp,
    PageDown,
    Delete,

    /// <summary>Ctrl plus a letter (<see cref="KeyPress.Character"/> holds the lower-case letter); Ctrl+C among them.</summary>
    Control,

    /// <summary>A sequence this decoder does not know; ignored by the call screen.</summary>
    Unknown,
}

/// <summary>One decoded key press.</summary>
public readonly record struct KeyPress(KeyKind Kind, char Character = '\0')
{
    public bool IsCtrlC => Kind == KeyKind.Control && Character == 'c';

    public override string ToString() => Kind switch
    {
        KeyKind.Character => $"'{Character}'",
        KeyKind.Control => $"Ctrl+{char.ToUpperInvariant(Character)}",
        _ => Kind.ToString(),
    };
}
