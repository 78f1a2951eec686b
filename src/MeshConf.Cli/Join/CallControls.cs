using MeshConf.Node.Chat;
using MeshConf.Node.Video;
using MeshConf.Node.Voice;

namespace MeshConf.Cli.Join;

/// <summary>
/// What a person (keys on the call screen) or a bot (lines on a headless node's stdin) can do during a call:
/// mute, turn the camera off, say something, leave. One place, so both faces behave the same.
/// </summary>
internal sealed class CallControls(VoiceCall voice, VideoCall video, ChatRoom chat, string ownName, CancellationTokenSource stop)
{
    /// <summary>Told about this node's own chat lines (the call screen shows them, headless prints them).</summary>
    public IJoinReporter? Reporter { get; set; }

    /// <summary>Raised after mute or video changed, so the screen can show it at once.</summary>
    public Action? Changed { get; set; }

    /// <summary>Why the call ended, when a control ended it.</summary>
    public string? LeaveReason { get; private set; }

    public bool Muted => voice.Muted || !voice.CanSpeak;

    public bool VideoOn => video.Sender is { Enabled: true };

    /// <summary>Mutes or unmutes; null when done, else why not (no microphone).</summary>
    public string? SetMuted(bool muted)
    {
        if (!voice.CanSpeak)
        {
            return "no microphone: there is nothing to mute";
        }

        voice.Muted = muted;
        Changed?.Invoke();
        return null;
    }

    public string? ToggleMute() => SetMuted(!voice.Muted);

    /// <summary>Turns the picture to peers on or off; null when done, else why not (no video source).</summary>
    public string? SetVideo(bool on)
    {
        if (video.Sender is not { } sender)
        {
            return "no video source (--video none, or it could not start)";
        }

        sender.Enabled = on;
        Changed?.Invoke();
        return null;
    }

    public string? ToggleVideo() => SetVideo(!VideoOn);

    /// <summary>Sends a chat line to everyone; null when sent, else why not (nothing to say).</summary>
    public string? Say(string text)
    {
        if (chat.Send(text) is not { } line)
        {
            return "nothing to say";
        }

        Reporter?.Chat(0, ownName, line);
        return null;
    }

    /// <summary>Leaves the call (with Bye, as every way out does).</summary>
    public void Leave(string reason)
    {
        LeaveReason ??= reason;
        stop.Cancel();
    }

    /// <summary>Carries out one headless command; null when done, else the problem.</summary>
    public string? Run(HeadlessCommand command)
    {
        switch (command.Kind)
        {
            case HeadlessCommandKind.Chat:
                return Say(command.Text);
            case HeadlessCommandKind.Mute:
                return SetMuted(true);
            case HeadlessCommandKind.Unmute:
                return SetMuted(false);
            case HeadlessCommandKind.VideoOn:
                return SetVideo(true);
            case HeadlessCommandKind.VideoOff:
                return SetVideo(false);
            default:
                Leave("leave");
                return null;
        }
    }
}
