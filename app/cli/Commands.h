#pragma once

#include "CliContext.h"

namespace uw::cli {

// Each command takes its own arguments (after the command word) and returns the exit code.
int runInit(const CliContext& ctx, const QStringList& args);
int runMember(const CliContext& ctx, const QStringList& args);
int runVerifyProof(const CliContext& ctx, const QStringList& args);
int runPairOffer(const CliContext& ctx, const QStringList& args);
int runPairJoin(const CliContext& ctx, const QStringList& args);
int runLogin(const CliContext& ctx, const QStringList& args);
int runSign(const CliContext& ctx, const QStringList& args);
int runListen(const CliContext& ctx, const QStringList& args);
int runAddress(const CliContext& ctx, const QStringList& args);
int runAnchor(const CliContext& ctx, const QStringList& args);
int runAnchors(const CliContext& ctx, const QStringList& args);
int runProof(const CliContext& ctx, const QStringList& args);
int runVerifyOts(const CliContext& ctx, const QStringList& args);
int runUtxo(const CliContext& ctx, const QStringList& args);
int runStatus(const CliContext& ctx, const QStringList& args);
int runStateDiagram(const CliContext& ctx, const QStringList& args);
int runBackup(const CliContext& ctx, const QStringList& args);

} // namespace uw::cli
