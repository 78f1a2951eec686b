using MeshConf.Node.Video;

namespace MeshConf.Node.Tests.Video;

public sealed class CameraEnumeratorTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("meshconf-sysfs-").FullName;

    [Fact]
    public void Capture_nodes_are_listed_with_their_names_and_metadata_nodes_are_not()
    {
        Node("video0", "Integrated Camera", 0);
        Node("video1", "Integrated Camera", 1); // the UVC metadata node
        Node("video2", "USB Webcam", 0);

        var cameras = CameraEnumerator.ListV4l2(_root, "/dev");

        Assert.Equal([new CameraDevice("/dev/video0", "Integrated Camera"), new CameraDevice("/dev/video2", "USB Webcam")], cameras);
    }

    [Fact]
    public void No_sysfs_directory_means_no_cameras()
    {
        Assert.Empty(CameraEnumerator.ListV4l2(Path.Combine(_root, "absent"), "/dev"));
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private void Node(string name, string label, int index)
    {
        var dir = Directory.CreateDirectory(Path.Combine(_root, name)).FullName;
        File.WriteAllText(Path.Combine(dir, "name"), label + "\n");
        File.WriteAllText(Path.Combine(dir, "index"), index + "\n");
    }
}
