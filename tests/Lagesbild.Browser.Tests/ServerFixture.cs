using Lagesbild.Testing;

namespace Lagesbild.Browser.Tests;

/// <summary>One real server with the embedded store, shared by a class whose tests do not disturb each other.</summary>
public sealed class ServerFixture() : RunningServer();
