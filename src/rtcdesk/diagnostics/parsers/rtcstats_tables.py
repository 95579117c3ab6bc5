"""Decompression tables of the rtcstats.com dump format v3 (a wire protocol).

The numbers are fixed by the format specification (rtcstats ``compression.js``);
importers must map them back to method, stats-type and property names.
"""

from __future__ import annotations


def _numbered(start: int, names: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for i, name in enumerate(names.split(), start):
        if name != "-":
            out[str(i)] = name
    return out


METHODS: dict[str, str] = {
    "g": "getStats",
    "1": "getStats",
    **_numbered(
        2,
        "createOffer createOfferOnSuccess createAnswer createAnswerOnSuccess "
        "setLocalDescription setLocalDescriptionOnSuccess setRemoteDescription "
        "setRemoteDescriptionOnSuccess addIceCandidate addIceCandidateOnSuccess "
        "createOfferOnFailure createAnswerOnFailure setLocalDescriptionOnFailure "
        "setRemoteDescriptionOnFailure addIceCandidateOnFailure",
    ),
    **_numbered(
        20,
        "onicecandidate onicecandidateerror ontrack onsignalingstatechange "
        "oniceconnectionstatechange onconnectionstatechange onicegatheringstatechange "
        "onnegotiationneeded ondatachannel - addTrack addTrackOnSuccess addTransceiver "
        "addTransceiverOnSuccess removeTrack createDataChannel close restartIce "
        "setConfiguration create constraints setCodecPreferences "
        "setHeaderExtensionsToNegotiate",
    ),
    "50": "setParameters",
    "51": "replaceTrack",
    **_numbered(
        60,
        "navigator.mediaDevices.getUserMedia navigator.mediaDevices.getUserMediaOnSuccess - "
        "navigator.mediaDevices.getDisplayMedia navigator.mediaDevices.getDisplayMediaOnSuccess "
        "navigator.mediaDevices.getUserMediaOnFailure "
        "navigator.mediaDevices.enumerateDevices navigator.mediaDevices.ondevicechange "
        "navigator.mediaDevices.getDisplayMediaOnFailure",
    ),
    **_numbered(
        70,
        "MediaStreamTrack.stop MediaStreamTrack.applyConstraints MediaStreamTrack.onended "
        "MediaStreamTrack.onmute MediaStreamTrack.onunmute",
    ),
    "80": "HTMLMediaElement.resize",
}

STATS_TYPES: dict[str, str] = _numbered(
    1,
    "inbound-rtp outbound-rtp remote-inbound-rtp remote-outbound-rtp transport "
    "candidate-pair local-candidate remote-candidate data-channel peer-connection "
    "certificate media-source media-playout codec",
)

PROPERTIES: dict[str, str] = {
    "t": "timestamp",
    **_numbered(
        4,
        "payloadType transportId mimeType clockRate channels sdpFmtpLine ssrc kind codecId - "
        "packetsReceived packetsLost jitter trackIdentifier mid remoteId framesDecoded "
        "keyFramesDecoded framesDropped frameWidth frameHeight framesPerSecond qpSum "
        "totalDecodeTime totalInterFrameDelay totalSquaredInterFrameDelay pauseCount "
        "totalPausesDuration freezeCount totalFreezesDuration lastPacketReceivedTimestamp "
        "headerBytesReceived packetsDiscarded fecPacketsReceived fecPacketsDiscarded "
        "fecBytesReceived fecSsrc bytesReceived nackCount firCount pliCount "
        "totalProcessingDelay estimatedPlayoutTimestamp jitterBufferDelay "
        "jitterBufferTargetDelay jitterBufferEmittedCount jitterBufferMinimumDelay "
        "totalSamplesReceived concealedSamples silentConcealedSamples concealmentEvents "
        "insertedSamplesForDeceleration removedSamplesForAcceleration audioLevel "
        "totalAudioEnergy totalSamplesDuration framesReceived decoderImplementation playoutId "
        "powerEfficientDecoder framesAssembledFromMultiplePackets totalAssemblyTime "
        "contentType googTimingFrameInfo retransmittedPacketsReceived "
        "retransmittedBytesReceived rtxSsrc totalCorruptionProbability "
        "totalSquaredCorruptionProbability corruptionMeasurements localId roundTripTime "
        "totalRoundTripTime fractionLost roundTripTimeMeasurements packetsSent bytesSent "
        "mediaSourceId rid encodingIndex headerBytesSent retransmittedPacketsSent "
        "retransmittedBytesSent targetBitrate totalEncodedBytesTarget framesSent "
        "hugeFramesSent framesEncoded keyFramesEncoded totalEncodeTime totalPacketSendDelay "
        "qualityLimitationReason qualityLimitationDurations "
        "qualityLimitationResolutionChanges encoderImplementation powerEfficientEncoder "
        "active scalabilityMode remoteTimestamp reportsSent echoReturnLoss "
        "echoReturnLossEnhancement width height frames synthesizedSamplesDuration "
        "synthesizedSamplesEvents totalPlayoutDelay totalSamplesCount dataChannelsOpened "
        "dataChannelsClosed label protocol dataChannelIdentifier state messagesSent "
        "messagesReceived iceRole iceLocalUsernameFragment dtlsState iceState "
        "selectedCandidatePairId localCertificateId remoteCertificateId tlsVersion "
        "dtlsCipher dtlsRole srtpCipher selectedCandidatePairChanges rtcpTransportStatsId "
        "address port candidateType priority url relayProtocol foundation relatedAddress "
        "relatedPort usernameFragment tcpType networkType - - localCandidateId "
        "remoteCandidateId nominated lastPacketSentTimestamp currentRoundTripTime "
        "availableOutgoingBitrate availableIncomingBitrate requestsReceived requestsSent "
        "responsesReceived responsesSent consentRequestsSent packetsDiscardedOnSend "
        "bytesDiscardedOnSend - fingerprint fingerprintAlgorithm base64Certificate "
        "issuerCertificateId psnrMeasurements psnrSum packetsReceivedWithEct1 "
        "packetsReceivedWithCe packetsReportedAsLost packetsReportedAsLostButRecovered "
        "packetsWithBleachedEct1Marking packetsSentWithEct1 ccfbMessagesSent "
        "ccfbMessagesReceived",
    ),
}
