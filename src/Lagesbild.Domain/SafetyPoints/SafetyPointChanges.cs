using System.Collections.Immutable;
using Lagesbild.Domain.Picture;

namespace Lagesbild.Domain.SafetyPoints;

public sealed record SafetyPointRegistered(string District, string Name, string Address, GeoPosition Position, int Tier, int Capacity, ResidentInfo ResidentInfo) : Change;

/// <param name="ResidentInfo">The texts for residents that changed: the new text, "" when cleared, null when unchanged.</param>
public sealed record SafetyPointDetailsUpdated(string? Name, string? Address, GeoPosition? Position, int? Tier, int? Capacity, ResidentInfo? ResidentInfo) : Change;

/// <param name="ReferredTo">On closing with visitors inside: where they were referred.</param>
public sealed record SafetyPointStatusChanged(SafetyPointStatus From, SafetyPointStatus To, string? Limitations, string? ReferredTo = null) : Change;

public sealed record SafetyPointCapabilitiesSet(ImmutableSortedDictionary<Capability, CapabilityState> Capabilities) : Change;

public sealed record SafetyPointResourcesReported(SafetyPointResources Resources) : Change;

public sealed record SafetyPointVisitorsReported(int Visitors, int Capacity) : Change;

/// <param name="Reported">The statuses this report gave, each dated to it; the point's whole condition is in its state.</param>
public sealed record SafetyPointConditionReported(SafetyPointCondition Reported) : Change;
