using Microsoft.AspNetCore.Authorization;

namespace Lagesbild.Server.Access;

/// <summary>
/// A policy's demand on the signed-in person's one role. When it is not met it says why, in
/// the person's words, and <see cref="AccessProblems"/> puts that in the 403's detail. A token
/// whose claims give several roles fails every policy (<see cref="Actors.RoleOf"/>).
/// </summary>
public sealed class RoleRequirement(AuthOptions auth, Func<string, bool> allows, string refusal)
    : AuthorizationHandler<RoleRequirement>, IAuthorizationRequirement
{
    private Func<string, bool> Allows { get; } = allows;
    private string Refusal { get; } = refusal;

    // A policy combined from several (a group's and an endpoint's) holds several of these, and
    // each one's handler is handed all of them: decide with the requirement's own rule.
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, RoleRequirement requirement)
    {
        // Nobody signed in: the policy's authenticated-user requirement answers with a challenge (401).
        if (context.User.Identity?.IsAuthenticated != true)
            return Task.CompletedTask;
        if (Actors.RoleOf(context.User, auth) is not { } role)
            context.Fail(new AuthorizationFailureReason(this, Actors.SeveralRoles(context.User, auth)));
        else if (requirement.Allows(role))
            context.Succeed(requirement);
        else
            context.Fail(new AuthorizationFailureReason(this, requirement.Refusal));
        return Task.CompletedTask;
    }
}
